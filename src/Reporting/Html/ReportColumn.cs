namespace MlNetRobust.Reporting.Html;

/// <summary>A table column: its header, how its numbers are written and which of them is best.</summary>
public sealed record ReportColumn(string Name)
{
    public NumberFormat Format { get; init; } = NumberFormat.General;

    /// <summary>Highlights the best value of the column (ties: all of them).</summary>
    public BestValue Best { get; init; } = BestValue.None;

    /// <summary>Shown when hovering the header (what the column measures).</summary>
    public string? Description { get; init; }
}
