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
}
