using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Transforms.Data;

namespace MlNetRobust.Cli.Tests;

/// <summary>
/// One tiny model shared by the command tests: `mlnet-robust train` run as a process on a few real CIFAR-10 images
/// (ResNet18 of width 8, 10 images per class, one epoch, no corruption benchmark or UMAP), in a temporary folder.
/// </summary>
public sealed class TrainedModelFixture : IDisposable
{
    public TrainedModelFixture()
    {
        Cifar = Cifar10.Locate() ?? throw new InvalidOperationException("the CIFAR-10 copy (../shared/datasets/cifar10-jpg) is needed for the command tests");
        Folder = Directory.CreateTempSubdirectory("mlnr-cli-model-").FullName;
        RunFolder = Path.Combine(Folder, "run");
        Training = CliProcess.Run("train", "--data", Cifar, "--output", RunFolder, "--epochs", "1", "--width", "8", "--train-per-class", "10",
            "--validation-per-class", "2", "--test-per-class", "3", "--pgd-per-class", "1", "--corruption-per-class", "0", "--umap-per-class", "0",
            "--threads", "2", "--quiet");
        if (Training.Code != ExitCodes.Success || !File.Exists(ModelPath))
        {
            throw new InvalidOperationException($"training the shared test model failed: {Training}");
        }
    }

    /// <summary>The CIFAR-10 root (train/ and test/).</summary>
    public string Cifar { get; }

    /// <summary>A temporary folder the tests may write into; deleted at the end.</summary>
    public string Folder { get; }

    public string RunFolder { get; }

    public string ModelPath => Path.Combine(RunFolder, "baseline-ce", "model.zip");

    public CliProcess.Result Training { get; }

    /// <summary>A new empty folder under <see cref="Folder"/>.</summary>
    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(Folder, $"{name}-{Guid.NewGuid():N}")).FullName;

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
