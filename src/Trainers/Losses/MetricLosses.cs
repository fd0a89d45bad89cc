namespace MlNetRobust.Trainers.Losses;

/// <summary>
/// Settings for <see cref="MetricLosses.Create"/>; null means the loss's default. Each loss accepts only the
/// settings it uses, so a setting meant for another loss (a typo in a config) fails instead of being ignored.
/// </summary>
public sealed record MetricLossOptions
{
    /// <summary>Angular: α in degrees (default 45).</summary>
    public double? AlphaDegrees { get; init; }

    /// <summary>Circle: relaxation m (default 0.25).</summary>
    public double? M { get; init; }

    /// <summary>Circle: scale γ (default 256).</summary>
    public double? Gamma { get; init; }

    /// <summary>Triplet: margin (default 0.05).</summary>
    public double? Margin { get; init; }

    /// <summary>Contrastive: margin for positive pairs (default 0 for a distance, 1 for cosine).</summary>
    public double? PosMargin { get; init; }

    /// <summary>Contrastive: margin for negative pairs (default 1 for a distance, 0 for cosine).</summary>
    public double? NegMargin { get; init; }

    /// <summary>Contrastive, triplet: the distance (default euclidean).</summary>
    public MetricDistance? Distance { get; init; }

    /// <summary>Every loss: the reducer (default: the loss's own — mean for angular, avg_non_zero otherwise).</summary>
    public MetricReduction? Reducer { get; init; }
}

/// <summary>Creates metric losses by name, for trainers and the command line.</summary>
public static class MetricLosses
{
    private sealed record Entry(string[] Settings, Func<MetricLossOptions, IMetricLoss> Create);

    private static readonly Dictionary<string, Entry> s_losses = new(StringComparer.OrdinalIgnoreCase)
    {
        ["angular"] = new(["alpha_degrees", "reducer"],
            o => new AngularLoss(o.AlphaDegrees ?? AngularLoss.Defaults.AlphaDegrees, Reducer(o))),
        ["circle"] = new(["m", "gamma", "reducer"],
            o => new CircleLoss(o.M ?? CircleLoss.Defaults.M, o.Gamma ?? CircleLoss.Defaults.Gamma, Reducer(o))),
        ["contrastive"] = new(["pos_margin", "neg_margin", "distance", "reducer"],
            o => new ContrastiveLoss(Distance(o), o.PosMargin, o.NegMargin, Reducer(o))),
        ["triplet"] = new(["margin", "distance", "reducer"],
            o => new TripletMarginLoss(o.Margin ?? TripletMarginLoss.Defaults.Margin, Distance(o), Reducer(o))),
    };

    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names => [.. s_losses.Keys];

    /// <summary>
    /// The loss called <paramref name="name"/> ("angular", "circle", "contrastive", "triplet"; any case) with
    /// the given settings. Example: <c>MetricLosses.Create("circle", new() { M = 0.4, Gamma = 80 })</c>.
    /// </summary>
    public static IMetricLoss Create(string name, MetricLossOptions? options = null)
    {
        if (!s_losses.TryGetValue(name, out var entry))
        {
            throw new ArgumentException($"unknown metric loss '{name}'; known: {string.Join(", ", s_losses.Keys)}", nameof(name));
        }
        options ??= new MetricLossOptions();
        var extra = Given(options).Except(entry.Settings).ToList();
        if (extra.Count > 0)
        {
            throw new ArgumentException($"the {name.ToLowerInvariant()} loss does not take {string.Join(", ", extra)} (it takes {string.Join(", ", entry.Settings)})", nameof(options));
        }
        return entry.Create(options);
    }

    private static IEnumerable<string> Given(MetricLossOptions o)
    {
        if (o.AlphaDegrees is not null) { yield return "alpha_degrees"; }
        if (o.M is not null) { yield return "m"; }
        if (o.Gamma is not null) { yield return "gamma"; }
        if (o.Margin is not null) { yield return "margin"; }
        if (o.PosMargin is not null) { yield return "pos_margin"; }
        if (o.NegMargin is not null) { yield return "neg_margin"; }
        if (o.Distance is not null) { yield return "distance"; }
        if (o.Reducer is not null) { yield return "reducer"; }
    }

    private static IReducer? Reducer(MetricLossOptions o) => o.Reducer is { } r ? Reducers.Create(r) : null;

    private static IDistance? Distance(MetricLossOptions o) => o.Distance is { } d ? Distances.Create(d) : null;
}
