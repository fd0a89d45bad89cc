using MlNetRobust.Data;
using MlNetRobust.Models;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Classification;
using MlNetRobust.Trainers.Models;
using MlNetRobust.Transforms.Data;

namespace MlNetRobust.Bench;

/// <summary>Inputs the benchmarks share: random CIFAR-shaped images in a data view, and an untrained ResNet18 classifier.</summary>
internal static class BenchData
{
    public static readonly float[] Mean = [0.4914f, 0.4822f, 0.4465f];
    public static readonly float[] Std = [0.2470f, 0.2435f, 0.2616f];

    /// <summary>Features (float [3, size, size] uniform in [0, 1]) and Label (row i has class i mod <paramref name="classes"/>), in memory.</summary>
    public static InMemoryDataView Images(int rows, int classes, int size, ulong seed = 0)
    {
        using var gen = new Generator(seed);
        return new InMemoryDataView(
            new DataViewSchema([(DefaultColumnNames.Features, new TensorType(ScalarType.Float32, [3, size, size])),
                (DefaultColumnNames.Label, new KeyType(Cifar10.ClassNames.Take(classes).ToArray()))]),
            new Dictionary<string, object>
            {
                [DefaultColumnNames.Features] = torch.rand([rows, 3, size, size], gen),
                [DefaultColumnNames.Label] = Enumerable.Range(0, rows).Select(i => i % classes).ToArray(),
            });
    }

    /// <summary>ResNet18 (CIFAR stem, 10 classes, CIFAR-10 normalisation inside) as the pipeline step a trainer returns.</summary>
    public static ImageModelTransformer ResNet18Classifier()
    {
        torch.manual_seed(0);
        var network = new ImageNetwork(ResNet.ResNet18(numClasses: 10, cifarStem: true), Mean, Std, ImageModelOutput.Logits);
        return new ImageModelTransformer(network, Cifar10.ClassNames, DefaultColumnNames.Features, hasClassifier: true);
    }
}
