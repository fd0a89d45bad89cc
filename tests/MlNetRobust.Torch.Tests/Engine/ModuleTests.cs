using MlNetRobust.Torch.Modules;
using MlNetRobust.Torch.Optimizers;

namespace MlNetRobust.Torch.Tests.Engine;

public sealed class ModuleTests
{
    private static Sequential SmallNet() => new(
        new Conv2d(3, 4, 3, padding: 1, bias: false), new BatchNorm2d(4), new ReLU(),
        new MaxPool2d(2), new AdaptiveAvgPool2d(1, 1), new Flatten(), new Dropout(0.5), new Linear(4, 2));

    [Fact]
    public void Parameters_and_buffers_have_pytorch_dotted_names_in_registration_order()
    {
        using var net = SmallNet();
        Assert.Equal(
            ["0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked", "7.weight", "7.bias"],
            net.state_dict().Keys);
        Assert.Equal(["0.weight", "1.weight", "1.bias", "7.weight", "7.bias"], net.named_parameters().Select(p => p.name));
        Assert.All(net.parameters(), p => Assert.True(p.requires_grad));
        Assert.Equal(ScalarType.Int64, net.state_dict()["1.num_batches_tracked"].dtype);
    }

    [Fact]
    public void Default_initialisation_follows_pytorch_bounds()
    {
        torch.manual_seed(7);
        using var conv = new Conv2d(16, 8, 3);
        var bound = 1 / Math.Sqrt(16 * 9);
        var w = conv.weight.data<float>();
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        // Uniform on ±bound has standard deviation bound/√3.
        var std = Math.Sqrt(w.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.9 * bound / Math.Sqrt(3), 1.1 * bound / Math.Sqrt(3));
    }

    [Fact]
    public void Train_and_eval_switch_batch_norm_and_dropout_in_every_submodule()
    {
        torch.manual_seed(0);
        using var net = SmallNet();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([8, 3, 8, 8], new Generator(1));
        net.forward(x);
        Assert.Equal(1, net.state_dict()["1.num_batches_tracked"].item<long>());
        Assert.NotEqual(0f, net.state_dict()["1.running_mean"].abs().sum().item<float>());

        net.eval();
        Assert.All(net.named_modules(), m => Assert.False(m.module.training));
        var a = net.forward(x);
        var b = net.forward(x);
        Assert.True(a.equal(b), "eval mode must be deterministic (no dropout, running statistics)");
        Assert.Equal(1, net.state_dict()["1.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void State_dict_round_trip_reproduces_outputs()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        using var source = SmallNet();
        source.forward(torch.randn([4, 3, 8, 8], new Generator(5)));
        source.eval();
        torch.manual_seed(2);
        using var target = SmallNet();
        target.eval();
        var x = torch.randn([2, 3, 8, 8], new Generator(6));
        Assert.False(source.forward(x).allclose(target.forward(x)));

        target.load_state_dict(source.state_dict());
        Assert.True(source.forward(x).equal(target.forward(x)));
    }

    [Fact]
    public void Load_state_dict_lists_every_missing_unexpected_and_mismatched_key()
    {
        using var scope = torch.NewDisposeScope();
        using var net = SmallNet();
        var bad = new Dictionary<string, Tensor>(net.state_dict());
        bad.Remove("7.bias");
        bad.Remove("1.running_var");
        bad["7.weight"] = torch.zeros(3, 4);
        bad["extra.weight"] = torch.zeros(1);

        var e = Assert.Throws<InvalidDataException>(() => net.load_state_dict(bad));
        Assert.Contains("4 problem(s)", e.Message);
        Assert.Contains("missing key '7.bias'", e.Message);
        Assert.Contains("missing key '1.running_var'", e.Message);
        Assert.Contains("unexpected key 'extra.weight'", e.Message);
        Assert.Contains("shape mismatch for '7.weight': file has [3, 4], model has [2, 4]", e.Message);
    }

    [Fact]
    public void Non_strict_load_ignores_missing_keys_but_not_shape_mismatches()
    {
        using var scope = torch.NewDisposeScope();
        using var net = SmallNet();
        net.load_state_dict(new Dictionary<string, Tensor> { ["7.bias"] = torch.tensor(new[] { 1f, 2f }) }, strict: false);
        Assert.Equal(new[] { 1f, 2f }, net.state_dict()["7.bias"].data<float>());
        Assert.Throws<InvalidDataException>(() => net.load_state_dict(new Dictionary<string, Tensor> { ["7.bias"] = torch.zeros(3) }, strict: false));
    }

    [Fact]
    public void Registering_a_dotted_or_duplicate_name_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new BadModule());
        Assert.Contains("'a.b'", e.Message);
    }

    private sealed class BadModule : Module<Tensor, Tensor>
    {
        public BadModule() => RegisterParameter("a.b", null);

        public override Tensor forward(Tensor input) => input;
    }

    /// <summary>The design's smoke test: a ResNet-shaped step at batch 128 runs forward, backward and Adam.</summary>
    [Fact]
    public void Resnet_shaped_network_trains_one_adam_step_at_batch_128()
    {
        torch.manual_seed(0);
        using var net = new Sequential(new Conv2d(3, 16, 3, padding: 1, bias: false), new BatchNorm2d(16), new ReLU(),
            new MaxPool2d(2), new AdaptiveAvgPool2d(1, 1), new Flatten(), new Linear(16, 10));
        using var adam = new Adam(net.parameters(), lr: 1e-2);
        using var scope = torch.NewDisposeScope();
        using var gen = new Generator(0);
        var x = torch.randn([128, 3, 32, 32], gen);
        var y = torch.randint(0, 10, [128], gen);
        var before = net.state_dict()["6.weight"].clone();
        var losses = new List<float>();
        for (var i = 0; i < 15; i++)
        {
            adam.zero_grad();
            var loss = torch.nn.functional.cross_entropy(net.forward(x), y);
            loss.backward();
            Assert.All(net.parameters(), p => Assert.NotNull(p.grad));
            adam.step();
            losses.Add(loss.item<float>());
        }
        Assert.False(before.equal(net.state_dict()["6.weight"]));
        Assert.True(losses[^1] < losses[0], $"loss should fall while fitting one batch: {string.Join(", ", losses)}");
    }
}
