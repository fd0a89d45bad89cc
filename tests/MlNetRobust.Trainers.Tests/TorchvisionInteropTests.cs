using System.Globalization;
using MlNetRobust.TestSupport;
using MlNetRobust.Torch;
using MlNetRobust.Torch.Serialization;
using MlNetRobust.Trainers.Models;

namespace MlNetRobust.Trainers.Tests;

/// <summary>
/// State dicts move between our ResNet and torchvision's in both directions, and give the same outputs.
/// Uses Debian's python3-torchvision 0.14 (installed by `make test`) as the independent reference.
/// </summary>
public sealed class TorchvisionInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlnr-tv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Script = """
        import sys, torch, torchvision
        mode, weights, inp, out = sys.argv[1:5]
        torch.manual_seed(0)
        net = torchvision.models.resnet18(num_classes=10)
        if mode == "load":
            net.load_state_dict(torch.load(weights, weights_only=True))
        else:
            # Non-default running statistics, so that buffers matter.
            net.train()
            with torch.no_grad():
                net(torch.rand(8, 3, 32, 32))
            torch.save(net.state_dict(), weights)
        net.eval()
        x = torch.load(inp, weights_only=True)["x"]
        with torch.no_grad():
            torch.save({"y": net(x)}, out)
        """;

    [PyTorchFact]
    public void A_torchvision_resnet18_state_dict_loads_and_gives_torchvision_outputs()
    {
        var (weights, input, output) = (Path.Combine(_dir, "tv.pt"), Path.Combine(_dir, "x.pt"), Path.Combine(_dir, "y.pt"));
        using var x = torch.rand([2, 3, 32, 32], new Generator(1));
        StateDictFile.Save([KeyValuePair.Create("x", x)], input);
        PythonTorch.Run(Script, "save", weights, input, output);

        using var net = ResNet.ResNet18(numClasses: 10);
        StateDictFile.LoadInto(net, weights);
        net.eval();
        using var ours = net.forward(x);
        var theirs = StateDictFile.LoadTensors(output)["y"];
        AssertClose(theirs, ours);
        theirs.Dispose();
    }

    [PyTorchFact]
    public void Our_resnet18_state_dict_loads_into_torchvision_and_gives_our_outputs()
    {
        var (weights, input, output) = (Path.Combine(_dir, "ours.pt"), Path.Combine(_dir, "x.pt"), Path.Combine(_dir, "y.pt"));
        torch.manual_seed(7);
        using var net = ResNet.ResNet18(numClasses: 10);
        using (torch.NewDisposeScope())
        {
            net.forward(torch.rand([8, 3, 32, 32], new Generator(2))); // move the BN statistics off their defaults
        }
        net.eval();
        StateDictFile.Save(net, weights);
        using var x = torch.rand([2, 3, 32, 32], new Generator(3));
        StateDictFile.Save([KeyValuePair.Create("x", x)], input);
        PythonTorch.Run(Script, "load", weights, input, output);

        using var ours = net.forward(x);
        var theirs = StateDictFile.LoadTensors(output)["y"];
        AssertClose(theirs, ours);
        theirs.Dispose();
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        using var diff = expected.sub(actual).abs().max();
        var worst = diff.item<float>();
        Assert.True(worst < 1e-4, string.Create(CultureInfo.InvariantCulture, $"outputs differ from torchvision by up to {worst}"));
    }
}
