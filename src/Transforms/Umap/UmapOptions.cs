namespace MlNetRobust.Transforms.Umap;

/// <summary>
/// UMAP's hyper-parameters, with umap-learn's defaults and names (n_neighbors, min_dist, spread, n_epochs,
/// negative_sample_rate, learning_rate). The map always has two dimensions.
/// </summary>
public sealed record UmapOptions
{
    /// <summary>Neighbourhood size k (the point itself included, as umap-learn counts it): larger is more global.</summary>
    public int NNeighbors { get; init; } = Defaults.NNeighbors;

    /// <summary>How tightly points may pack in the map (0 .. spread).</summary>
    public double MinDist { get; init; } = Defaults.MinDist;

    /// <summary>The scale of the map's clusters; with min_dist it fixes the curve 1 / (1 + a d^(2b)).</summary>
    public double Spread { get; init; } = Defaults.Spread;

    public UmapMetric Metric { get; init; } = Defaults.Metric;

    /// <summary>Layout epochs; null picks umap-learn's default: 500 for up to 10,000 points, else 200.</summary>
    public int? Epochs { get; init; }

    /// <summary>Epochs when mapping new points; null picks 100 when <see cref="Epochs"/> is null, else Epochs / 3 (umap-learn's rule for up to 10,000 new points).</summary>
    public int? TransformEpochs { get; init; }

    /// <summary>Repulsive samples per attractive sample.</summary>
    public int NegativeSampleRate { get; init; } = Defaults.NegativeSampleRate;

    /// <summary>Initial SGD step, decayed linearly to 0; transforms start at a quarter of it (as umap-learn).</summary>
    public double LearningRate { get; init; } = Defaults.LearningRate;

    /// <summary>Fit's epochs for a training set of <paramref name="rows"/> points.</summary>
    public int EpochsFor(long rows) => Epochs ?? (rows <= 10_000 ? 500 : 200);

    /// <summary>Transform's epochs (independent of how many points are mapped at once, so batching never changes a result).</summary>
    public int TransformEpochsResolved => TransformEpochs ?? (Epochs is { } e ? e / 3 : 100);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad value.</summary>
    public void Validate()
    {
        static void Require(bool ok, string name, object value, string expected)
        {
            if (!ok)
            {
                throw new ArgumentOutOfRangeException(name, value, $"UMAP: {name} must be {expected}");
            }
        }
        Require(NNeighbors >= 2, nameof(NNeighbors), NNeighbors, "at least 2");
        Require(Spread > 0 && double.IsFinite(Spread), nameof(Spread), Spread, "positive");
        Require(MinDist >= 0 && MinDist <= Spread, nameof(MinDist), MinDist, $"in [0, spread = {Spread}]");
        Require(Epochs is null or >= 1, nameof(Epochs), Epochs!, "at least 1 (or null)");
        Require(TransformEpochs is null or >= 0, nameof(TransformEpochs), TransformEpochs!, "non-negative (or null)");
        Require(NegativeSampleRate >= 0, nameof(NegativeSampleRate), NegativeSampleRate, "non-negative");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "positive");
        Require(Enum.IsDefined(Metric), nameof(Metric), Metric, "Euclidean or Cosine");
    }

    /// <summary>umap-learn's defaults.</summary>
    public static class Defaults
    {
        public const int NNeighbors = 15;
        public const double MinDist = 0.1;
        public const double Spread = 1.0;
        public const UmapMetric Metric = UmapMetric.Euclidean;
        public const int NegativeSampleRate = 5;
        public const double LearningRate = 1.0;
    }
}
