namespace MlNetRobust.Reporting.Charts;

/// <summary>One line of a <see cref="LineChart"/>: y against x, point by point. A non-finite y (NaN)
/// leaves a gap, e.g. for epochs without a validation pass.</summary>
public sealed record LineSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>Draw the line dashed (e.g. validation next to a solid training line).</summary>
    public bool Dashed { get; init; }

    /// <summary>A colour (#rrggbb); by default the series' place in <see cref="Palette.Category"/>.</summary>
    public string? Color { get; init; }

    /// <summary>A series over epochs 1, 2, …, values.Count.</summary>
    public static LineSeries PerEpoch(string name, IReadOnlyList<double> values) =>
        new(name, Enumerable.Range(1, values.Count).Select(i => (double)i).ToArray(), values);
}
