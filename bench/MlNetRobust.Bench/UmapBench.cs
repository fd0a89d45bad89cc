using System.Diagnostics;
using MlNetRobust.Data;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Umap;

namespace MlNetRobust.Bench;

/// <summary>
/// UMAP fit and transform on synthetic clustered embeddings (10 Gaussian clusters in 128-d, the family the
/// UMAP tests use): 10,000 and 50,000 training points, each with 10,000 held-out points transformed into the
/// fitted map; trustworthiness (k = 15) and 15-NN accuracy of the 10k map. Default options (500 epochs for 10k
/// points, 200 for 50k). Wall time and process CPU time are both reported: on a shared machine the CPU time
/// is the steadier figure.
/// </summary>
public static class UmapBench
{
    private const double CentreScale = 0.6;

    public static Dictionary<string, object> Run(int[]? sizes = null, int heldOut = 10_000)
    {
        var result = new Dictionary<string, object>
        {
            ["data"] = $"10 Gaussian clusters in 128-d (centres N(0, {CentreScale}² I), points centre + N(0, I))",
            ["threads"] = Environment.ProcessorCount,
            ["torch_threads"] = torch.get_num_threads(),
        };
        foreach (var n in sizes ?? [10_000, 50_000])
        {
            result[$"n{n}"] = RunOne(n, heldOut, withQuality: n <= 10_000);
        }
        return result;
    }

    private static Dictionary<string, object> RunOne(int n, int heldOut, bool withQuality)
    {
        var (train, trainLabels, test, _) = Clusters(n, heldOut, seed: 7);
        using (train)
        using (test)
        {
            var ctx = new RobustContext(seed: 1);
            using var view = new InMemoryDataView(new DataViewSchema([(DefaultColumnNames.Embedding, new TensorType(ScalarType.Float32, [128]))]),
                new Dictionary<string, object> { [DefaultColumnNames.Embedding] = train.alias() });
            var estimator = ctx.Transforms.ProjectToUmap(seed: 1);

            var fitClock = Clock.Start();
            using var model = estimator.Fit(view);
            var (fitSeconds, fitCpu) = fitClock.Stop();

            var transformClock = Clock.Start();
            var mapped = model.Map(test, Enumerable.Range(0, heldOut).Select(i => (long)i).ToArray());
            var (transformSeconds, transformCpu) = transformClock.Stop();

            var row = new Dictionary<string, object>
            {
                ["train_points"] = n,
                ["epochs"] = model.Options.EpochsFor(n),
                ["fit_s"] = Math.Round(fitSeconds, 2),
                ["fit_cpu_s"] = Math.Round(fitCpu, 2),
                ["transform_points"] = heldOut,
                ["transform_epochs"] = model.Options.TransformEpochsResolved,
                ["transform_s"] = Math.Round(transformSeconds, 2),
                ["transform_cpu_s"] = Math.Round(transformCpu, 2),
                ["transform_points_per_s"] = Math.Round(heldOut / transformSeconds),
                ["finite"] = mapped.All(float.IsFinite),
            };
            if (withQuality)
            {
                var clock = Clock.Start();
                row["trustworthiness_k15"] = Math.Round(Trustworthiness.Compute(train, model.TrainingMap, 15), 4);
                row["trustworthiness_s"] = Math.Round(clock.Stop().Wall, 2);
                row["knn15_accuracy_input"] = Math.Round(KnnAccuracy(train, trainLabels, 15), 4);
                row["knn15_accuracy_map"] = Math.Round(KnnAccuracy(model.TrainingMap, trainLabels, 15), 4);
            }
            return row;
        }
    }

    /// <summary>Training and held-out points of 10 clusters: tensors [n, 128] and [heldOut, 128] with their labels.</summary>
    public static (Tensor Train, int[] TrainLabels, Tensor Test, int[] TestLabels) Clusters(int n, int heldOut, ulong seed, int clusters = 10,
        int dimension = 128, double centreScale = CentreScale)
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

    /// <summary>Leave-one-out k-NN accuracy (majority vote, ties to the smaller label) within one point set.</summary>
    public static double KnnAccuracy(Tensor points, int[] labels, int k)
    {
        using var scope = torch.NewDisposeScope();
        var x = points.to(ScalarType.Float32).contiguous();
        var n = x.size(0);
        var norms = x.square().sum(1);
        var correct = 0;
        const long block = 1024;
        for (long start = 0; start < n; start += block)
        {
            var rows = Math.Min(block, n - start);
            var d = x.narrow(0, start, rows).mm(x.t()).mul_(-2).add_(norms.unsqueeze(0)).add_(norms.narrow(0, start, rows).unsqueeze(1));
            d.index_put_([torch.arange(rows), torch.arange(start, start + rows)], torch.scalar_tensor(float.PositiveInfinity));
            var neighbours = d.topk(k, 1, largest: false).indices.data<long>();
            for (var r = 0; r < rows; r++)
            {
                var votes = new int[labels.Max() + 1];
                for (var j = 0; j < k; j++)
                {
                    votes[labels[neighbours[r * k + j]]]++;
                }
                correct += Array.IndexOf(votes, votes.Max()) == labels[start + r] ? 1 : 0;
            }
        }
        return correct / (double)n;
    }

    /// <summary>Wall and process CPU seconds since <see cref="Start"/>.</summary>
    private readonly record struct Clock(Stopwatch Wall, TimeSpan Cpu)
    {
        public static Clock Start() => new(Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);

        public (double Wall, double Cpu) Stop() => (Wall.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - Cpu).TotalSeconds);
    }
}
