using System.Diagnostics;
using MlNetRobust.Data;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Knn;

namespace MlNetRobust.Bench;

/// <summary>
/// Exact KNN classification: 10,000 queries against 40,000 references of 128 dimensions (10 classes, k = 3,
/// majority vote), cosine and euclidean — the wall and CPU time of <see cref="KnnTransformer.Predict"/>
/// (search + vote), median of a few runs after a warm-up, and the time to fit (collect the reference set).
/// </summary>
public static class KnnBench
{
    public static Dictionary<string, object> Run(int queries = 10_000, int references = 40_000, int dim = 128, int k = 3, int repeats = 3)
    {
        using var gen = new Generator(7);
        using var refEmbeddings = torch.randn([references, dim], gen);
        using var refLabels = torch.randint(0, 10, [references], gen);
        using var queryEmbeddings = torch.randn([queries, dim], gen);
        var classes = Enumerable.Range(0, 10).Select(i => $"class{i}").ToArray();
        var schema = new DataViewSchema([(DefaultColumnNames.Embedding, new TensorType(ScalarType.Float32, [dim])), (DefaultColumnNames.Label, new KeyType(classes))]);
        using var train = new InMemoryDataView(schema, new()
        {
            [DefaultColumnNames.Embedding] = refEmbeddings.clone(),
            [DefaultColumnNames.Label] = refLabels.to(ScalarType.Int32).data<int>(),
        });

        var result = new Dictionary<string, object>
        {
            ["queries"] = queries,
            ["references"] = references,
            ["dim"] = dim,
            ["k"] = k,
            ["threads"] = torch.get_num_threads(),
        };
        foreach (var metric in new[] { KnnMetric.Cosine, KnnMetric.Euclidean })
        {
            var fitWatch = Stopwatch.StartNew();
            using var model = new KnnEstimator(new KnnOptions { K = k, Metric = metric }).Fit(train);
            var fitSeconds = fitWatch.Elapsed.TotalSeconds;
            var (seconds, cpuSeconds) = Median(() =>
            {
                var (scores, predicted) = model.Predict(queryEmbeddings);
                scores.Dispose();
                predicted.Dispose();
            }, repeats);
            var name = metric.ToString().ToLowerInvariant();
            result[$"{name}_seconds"] = Math.Round(seconds, 3);
            result[$"{name}_queries_per_second"] = Math.Round(queries / seconds, 0);
            result[$"{name}_cpu_seconds"] = Math.Round(cpuSeconds, 3);
            result[$"{name}_fit_seconds"] = Math.Round(fitSeconds, 3);
        }
        return result;
    }

    // Wall and process CPU time of the median run (by wall time) after a warm-up. On a shared machine the CPU
    // time shows what the search itself costs when other work stretches the wall clock.
    private static (double Seconds, double CpuSeconds) Median(Action run, int repeats)
    {
        run();
        var process = Process.GetCurrentProcess();
        var times = new List<(double Wall, double Cpu)>();
        for (var i = 0; i < repeats; i++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            run();
            var wall = watch.Elapsed.TotalSeconds;
            process.Refresh();
            times.Add((wall, (process.TotalProcessorTime - cpu).TotalSeconds));
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
