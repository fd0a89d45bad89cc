using MlNetRobust.Data;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Tests.Umap;

/// <summary>Synthetic embeddings for the UMAP tests: Gaussian clusters, data views, and k-NN accuracy.</summary>
internal static class UmapTestData
{
    /// <summary>
    /// Points of <paramref name="clusters"/> Gaussian clusters in <paramref name="dimension"/>-d: centres
    /// N(0, centreScale² I), points centre + N(0, I), labels i mod clusters. Train and held-out rows [n, D].
    /// </summary>
    public static (Tensor Train, int[] TrainLabels, Tensor Test, int[] TestLabels) Clusters(int n, int heldOut, ulong seed,
        double centreScale, int clusters = 10, int dimension = 128)
    {
        using var scope = torch.NewDisposeScope();
        using var gen = new Generator(seed);
        var centres = torch.randn([clusters, dimension], gen).mul_(centreScale);
        (Tensor, int[]) Draw(int count)
        {
            var labels = Enumerable.Range(0, count).Select(i => i % clusters).ToArray();
            using var index = torch.tensor(labels.Select(l => (long)l).ToArray());
            var points = centres.index_select(0, index).add_(torch.randn([count, dimension], gen));
            return (points.DetachFromDisposeScope(), labels);
        }
        var (train, trainLabels) = Draw(n);
        var (test, testLabels) = Draw(heldOut);
        return (train, trainLabels, test, testLabels);
    }

    /// <summary>A view with an Embedding column (a copy of <paramref name="embeddings"/>) and a Label column.</summary>
    public static InMemoryDataView View(Tensor embeddings, int[] labels, int classes = 10) =>
        new(new DataViewSchema([
                (DefaultColumnNames.Embedding, new TensorType(ScalarType.Float32, [embeddings.size(1)])),
                (DefaultColumnNames.Label, new KeyType(Enumerable.Range(0, classes).Select(c => $"c{c}").ToArray())),
            ]),
            new Dictionary<string, object> { [DefaultColumnNames.Embedding] = embeddings.clone(), [DefaultColumnNames.Label] = labels });

    /// <summary>Leave-one-out k-NN accuracy within one point set (majority vote, ties to the smaller label).</summary>
    public static double KnnAccuracy(Tensor points, int[] labels, int k) => KnnAccuracy(points, labels, points, labels, k, leaveOneOut: true);

    /// <summary>k-NN accuracy of <paramref name="queries"/> classified by their neighbours among <paramref name="reference"/>.</summary>
    public static double KnnAccuracy(Tensor reference, int[] referenceLabels, Tensor queries, int[] queryLabels, int k, bool leaveOneOut = false)
    {
        using var scope = torch.NewDisposeScope();
        var d = torch.cdist(queries.to(ScalarType.Float64), reference.to(ScalarType.Float64));
        if (leaveOneOut)
        {
            var diagonal = torch.arange(d.size(0));
            d.index_put_([diagonal, diagonal], torch.scalar_tensor(double.PositiveInfinity, ScalarType.Float64));
        }
        var neighbours = d.topk(k, 1, largest: false).indices.data<long>();
        var classes = referenceLabels.Max() + 1;
        var correct = 0;
        for (var q = 0; q < queryLabels.Length; q++)
        {
            var votes = new int[classes];
            for (var j = 0; j < k; j++)
            {
                votes[referenceLabels[neighbours[q * k + j]]]++;
            }
            correct += Array.IndexOf(votes, votes.Max()) == queryLabels[q] ? 1 : 0;
        }
        return correct / (double)queryLabels.Length;
    }
}
