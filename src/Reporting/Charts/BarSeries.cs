namespace MlNetRobust.Reporting.Charts;

/// <summary>One group member of a <see cref="BarChart"/>: a value per category (NaN: no bar).</summary>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values)
{
    /// <summary>A colour (#rrggbb); by default the series' place in <see cref="Palette.Category"/>.</summary>
    public string? Color { get; init; }
}
