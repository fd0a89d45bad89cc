using System.Text.Json;
using MlNetRobust.Torch.Optimizers;

namespace MlNetRobust.Torch.Tests.Engine;

/// <summary>
/// Optimisers and schedulers replay trajectories recorded with PyTorch 1.13 (Fixtures/make_optim_references.py):
/// same start, same gradient sequence, parameters compared after every step.
/// </summary>
public sealed class OptimizerTests
{
    private static readonly JsonElement s_reference =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "optim_references.json"))).RootElement;

    public static TheoryData<string> OptimizerCases => new() { "sgd", "sgd_momentum_dampening_wd", "sgd_nesterov", "adam", "adam_wd", "adamw" };

    private static Optimizer Make(string name, Tensor p) => name switch
    {
        "sgd" => new SGD([p], lr: 0.1),
        "sgd_momentum_dampening_wd" => new SGD([p], lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01),
        "sgd_nesterov" => new SGD([p], lr: 0.05, momentum: 0.9, weightDecay: 1e-3, nesterov: true),
        "adam" => new Adam([p], lr: 0.01),
        "adam_wd" => new Adam([p], lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1),
        "adamw" => new AdamW([p], lr: 0.01, weightDecay: 0.1),
        _ => throw new ArgumentException(name),
    };

    private static double[] Flat(JsonElement e) => e.EnumerateArray().SelectMany(r => r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().Select(v => v.GetDouble()) : [r.GetDouble()]).ToArray();

    [Theory]
    [MemberData(nameof(OptimizerCases))]
    public void Optimizer_follows_the_pytorch_trajectory(string name)
    {
        using var scope = torch.NewDisposeScope();
        var p = torch.tensor(Flat(s_reference.GetProperty("p0")), 2, 3).requires_grad_();
        using var optimizer = Make(name, p);
        var expected = s_reference.GetProperty("optimizers").GetProperty(name).EnumerateArray().ToArray();
        var grads = s_reference.GetProperty("grads").EnumerateArray().ToArray();
        for (var step = 0; step < grads.Length; step++)
        {
            p.grad = torch.tensor(Flat(grads[step]), 2, 3);
            optimizer.step();
            var actual = p.data<double>();
            var want = Flat(expected[step]);
            for (var i = 0; i < want.Length; i++)
            {
                Assert.True(Math.Abs(actual[i] - want[i]) < 1e-12, $"{name} step {step + 1} element {i}: {actual[i]} vs PyTorch {want[i]}");
            }
        }
    }

    [Fact]
    public void Optimizer_state_dict_resumes_bit_for_bit()
    {
        using var scope = torch.NewDisposeScope();
        var grads = s_reference.GetProperty("grads").EnumerateArray().Select(Flat).ToArray();
        var start = Flat(s_reference.GetProperty("p0"));

        var straight = torch.tensor(start, 2, 3).requires_grad_();
        using var a = new Adam([straight], lr: 0.01);
        foreach (var g in grads)
        {
            straight.grad = torch.tensor(g, 2, 3);
            a.step();
        }

        var resumed = torch.tensor(start, 2, 3).requires_grad_();
        using var b = new Adam([resumed], lr: 0.01);
        for (var i = 0; i < 2; i++)
        {
            resumed.grad = torch.tensor(grads[i], 2, 3);
            b.step();
        }
        var saved = b.state_dict();
        using var c = new Adam([resumed], lr: 0.5);
        c.load_state_dict(saved);
        foreach (var t in saved.Values)
        {
            t.Dispose();
        }
        for (var i = 2; i < grads.Length; i++)
        {
            resumed.grad = torch.tensor(grads[i], 2, 3);
            c.step();
        }
        Assert.Equal(straight.data<double>(), resumed.data<double>());
        Assert.Equal(4, c.StepCount);
    }

    [Fact]
    public void Optimizer_skips_parameters_without_gradient()
    {
        using var scope = torch.NewDisposeScope();
        var p = torch.ones([3], ScalarType.Float64).requires_grad_();
        using var sgd = new SGD([p], lr: 1);
        sgd.step();
        Assert.Equal(new[] { 1.0, 1, 1 }, p.data<double>());
    }

    [Fact]
    public void Step_lr_matches_pytorch() => AssertSchedule("step_lr", o => new StepLR(o, stepSize: 3, gamma: 0.5));

    [Fact]
    public void Cosine_annealing_matches_pytorch() => AssertSchedule("cosine", o => new CosineAnnealingLR(o, tMax: 8, etaMin: 0.001));

    private static void AssertSchedule(string name, Func<Optimizer, LRScheduler> make)
    {
        using var p = torch.zeros([1]).requires_grad_();
        using var sgd = new SGD([p], lr: 0.1, momentum: 0.9);
        var scheduler = make(sgd);
        var expected = s_reference.GetProperty("schedules").GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var actual = new List<double> { sgd.LearningRate };
        for (var i = 1; i < expected.Length; i++)
        {
            scheduler.step();
            actual.Add(sgd.LearningRate);
        }
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-12, $"{name} step {i}: {actual[i]} vs PyTorch {expected[i]}");
        }
    }

    [Fact]
    public void One_cycle_matches_pytorch_rates_and_adam_momentum()
    {
        using var p = torch.zeros([1]).requires_grad_();
        using var adam = new Adam([p], lr: 0.1);
        var reference = s_reference.GetProperty("schedules").GetProperty("one_cycle");
        var lr = reference.GetProperty("lr").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var beta1 = reference.GetProperty("beta1").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var scheduler = new OneCycleLR(adam, maxLr: 0.1, totalSteps: 20);
        for (var i = 0; i < lr.Length; i++)
        {
            if (i > 0)
            {
                scheduler.step();
            }
            Assert.True(Math.Abs(lr[i] - adam.LearningRate) < 1e-12, $"one-cycle lr at step {i}: {adam.LearningRate} vs PyTorch {lr[i]}");
            Assert.True(Math.Abs(beta1[i] - adam.Beta1) < 1e-12, $"one-cycle beta1 at step {i}: {adam.Beta1} vs PyTorch {beta1[i]}");
        }
    }
}
