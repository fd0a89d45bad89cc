using System.Text.Json.Nodes;
using MlNetRobust.Data;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Knn;

namespace MlNetRobust.Bench;

/// <summary>
/// Exact KNN classification as the KNN head does it: <see cref="KnnEstimator"/> (k = 3, cosine, majority vote) fitted
/// on 40,000 reference embeddings of 128 dimensions with 10 classes, then <see cref="KnnTransformer.Predict"/> for
/// 10,000 queries (normalise, one matrix product per block of queries, top-k, vote). Random Gaussian embeddings; the
/// median of the timed predictions is reported (fitting, which only stores the references, is timed apart).
/// </summary>
public static class KnnBench
{
    public static JsonObject Run(BenchmarkSettings settings)
    {
        var s = settings.Sizes;
        using var gen = new Generator(7);
        var classes = Enumerable.Range(0, 10).Select(i => $"class{i}").ToArray();
        using var references = new InMemoryDataView(
            new DataViewSchema([(DefaultColumnNames.Embedding, new TensorType(ScalarType.Float32, [s.KnnDim])), (DefaultColumnNames.Label, new KeyType(classes))]),
            new Dictionary<string, object>
            {
                [DefaultColumnNames.Embedding] = torch.randn([s.KnnReferences, s.KnnDim], gen),
                [DefaultColumnNames.Label] = Enumerable.Range(0, s.KnnReferences).Select(i => i % classes.Length).ToArray(),
            });
        using var queries = torch.randn([s.KnnQueries, s.KnnDim], gen);
        var fitClock = System.Diagnostics.Stopwatch.StartNew();
        using var knn = new KnnEstimator(new KnnOptions { K = s.KnnK, Metric = KnnMetric.Cosine }).Fit(references);
        var fitSeconds = fitClock.Elapsed.TotalSeconds;
        var seconds = Timing.Repeat(1, settings.Steps, () =>
        {
            var (scores, predicted) = knn.Predict(queries);
            scores.Dispose();
            predicted.Dispose();
        });
        var median = Timing.Median(seconds);
        return new JsonObject
        {
            ["seconds"] = Timing.Round(median),
            ["queries"] = s.KnnQueries,
            ["references"] = s.KnnReferences,
            ["dim"] = s.KnnDim,
            ["k"] = s.KnnK,
            ["metric"] = "cosine",
            ["queries_per_second"] = Math.Round(s.KnnQueries / median, 1),
            ["fit_seconds"] = Timing.Round(fitSeconds),
            ["timed_runs"] = seconds.Count,
        };
    }
}
