using MlNetRobust.Torch;
using MlNetRobust.Trainers.Models;

namespace MlNetRobust.Trainers.Tests;

public sealed class ResNetTests
{
    [Fact]
    public void Resnet18_has_torchvision_parameter_names_and_shapes()
    {
        using var net = ResNet.ResNet18(numClasses: 1000);
        var sd = net.state_dict();
        // torchvision.models.resnet18().state_dict(): 122 entries (62 parameters, 60 BN buffers).
        Assert.Equal(122, sd.Count);
        Assert.Equal([64L, 3, 7, 7], sd["conv1.weight"].shape);
        Assert.Equal([128L, 64, 1, 1], sd["layer2.0.downsample.0.weight"].shape);
        Assert.Equal([128L], sd["layer2.0.downsample.1.running_var"].shape);
        Assert.Equal([512L, 512, 3, 3], sd["layer4.1.conv2.weight"].shape);
        Assert.Equal([1000L, 512], sd["fc.weight"].shape);
        Assert.Equal(11_689_512L, net.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Cifar_stem_keeps_32_pixel_inputs_large_and_outputs_logits_features_and_embeddings()
    {
        torch.manual_seed(0);
        using var net = ResNet.ResNet18(numClasses: 10, cifarStem: true, embeddingDim: 128);
        Assert.Equal([64L, 3, 3, 3], net.state_dict()["conv1.weight"].shape);
        net.eval();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([2, 3, 32, 32], new Generator(1));
        var features = net.Features(x);
        Assert.Equal([2L, 512], features.shape);
        Assert.Equal([2L, 10], net.Classify(features).shape);
        var e = net.Embed(features);
        Assert.Equal([2L, 128], e.shape);
        Assert.True(e.norm(2, 1).sub(1).abs().max().item<float>() < 1e-5, "embeddings are L2-normalised");
    }

    [Fact]
    public void Resnet50_uses_bottlenecks_with_2048_features()
    {
        using var net = ResNet.ResNet50(numClasses: 10);
        Assert.Equal(2048, net.FeatureSize);
        Assert.Equal([2048L, 512, 1, 1], net.state_dict()["layer4.2.conv3.weight"].shape);
        Assert.Equal(23_528_522L, net.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Channels_last_inside_the_network_leaves_features_and_input_gradients_contiguous()
    {
        // The body runs channels-last (speed); what callers see must stay plain NCHW / row-major, because
        // attacks read input gradients and KNN reads features through data pointers.
        using var scope = torch.NewDisposeScope();
        using var gen = new Generator(3);
        using var net = new ResNet(ResNetDepth.ResNet18, numClasses: 3, cifarStem: true, width: 4, generator: gen);
        net.eval();
        var x = torch.rand([2, 3, 16, 16], gen).requires_grad_();
        var features = net.Features(x);
        Assert.True(features.is_contiguous());
        var grad = torch.autograd.grad([net.Classify(features).sum()], [x])[0]!;
        Assert.True(grad.is_contiguous());
        Assert.Equal(x.shape, grad.shape);
        // (The numbers themselves are checked against torchvision's in TorchvisionInteropTests.)
    }

    [Fact]
    public void A_generator_makes_the_initial_weights_independent_of_the_global_generator()
    {
        static ResNet Make(ulong seed, ulong globalSeed)
        {
            torch.manual_seed(globalSeed);
            using var gen = new Generator(seed);
            return new ResNet(ResNetDepth.ResNet18, numClasses: 3, cifarStem: true, embeddingDim: 4, width: 2, generator: gen);
        }
        using var a = Make(1, globalSeed: 10);
        using var b = Make(1, globalSeed: 20);
        using var c = Make(2, globalSeed: 10);
        var (sa, sb, sc) = (a.state_dict(), b.state_dict(), c.state_dict());
        foreach (var name in new[] { "conv1.weight", "layer4.1.conv2.weight", "fc.weight", "fc.bias", "embedding.weight", "embedding.bias" })
        {
            Assert.True(sa[name].equal(sb[name]), $"{name}: same generator seed, different weights");
            Assert.False(sa[name].equal(sc[name]), $"{name}: another generator seed gave the same weights");
        }
        // nn.Linear's bound 1/√fan_in holds for the redrawn layers (fan_in = 8 × width 2 = 16 → 0.25).
        using var maxAbs = sa["fc.weight"].abs().max();
        Assert.InRange(maxAbs.item<float>(), 0.05f, 0.25f);
    }
}
