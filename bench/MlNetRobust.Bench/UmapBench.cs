using System.Diagnostics;
using System.Text.Json.Nodes;
using MlNetRobust.Data;
using MlNetRobust.Torch;

namespace MlNetRobust.Bench;

/// <summary>
/// UMAP fit as the report's projection runs it: <c>ctx.Transforms.ProjectToUmap(seed: 1)</c> (umap-learn's defaults:
/// 15 neighbours, min_dist 0.1, 500 epochs up to 10,000 points) fitted on 10,000 points of 128 dimensions drawn from 10
/// Gaussian clusters (centres N(0, 0.6² I), points centre + N(0, I)). One fit, timed whole (neighbour graph, spectral
/// initialisation, layout optimisation).
/// </summary>
public static class UmapBench
{
    public const double CentreScale = 0.6;

    public static JsonObject Run(BenchmarkSettings settings)
    {
        var s = settings.Sizes;
        using var points = Clusters(s.UmapPoints, s.UmapDim, seed: 7);
        using var view = new InMemoryDataView(new DataViewSchema([(DefaultColumnNames.Embedding, new TensorType(ScalarType.Float32, [s.UmapDim]))]),
            new Dictionary<string, object> { [DefaultColumnNames.Embedding] = points.alias() });
        var estimator = new RobustContext(seed: 1).Transforms.ProjectToUmap(seed: 1, epochs: s.UmapEpochs);
        var clock = Stopwatch.StartNew();
        using var model = estimator.Fit(view);
        var seconds = clock.Elapsed.TotalSeconds;
        return new JsonObject
        {
            ["seconds"] = Timing.Round(seconds, 3),
            ["points"] = s.UmapPoints,
            ["dim"] = s.UmapDim,
            ["epochs"] = model.Options.EpochsFor(s.UmapPoints),
            ["n_neighbors"] = model.Options.NNeighbors,
            ["finite"] = model.TrainingMap.data<float>().All(float.IsFinite),
        };
    }

    /// <summary>Points [n, dim] of 10 Gaussian clusters; row i belongs to cluster i mod 10.</summary>
    public static Tensor Clusters(int n, int dim, ulong seed, int clusters = 10)
    {
        using var scope = torch.NewDisposeScope();
        using var gen = new Generator(seed);
        var centres = torch.randn([clusters, dim], gen).mul_(CentreScale);
        using var index = torch.tensor(Enumerable.Range(0, n).Select(i => (long)(i % clusters)).ToArray());
        return centres.index_select(0, index).add_(torch.randn([n, dim], gen)).MoveToOuterDisposeScope();
    }
}
