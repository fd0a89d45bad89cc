namespace MlNetRobust.Reporting.Html;

/// <summary>A table row, one cell per column.</summary>
public sealed class ReportRow(params IReadOnlyList<ReportCell> cells)
{
    public IReadOnlyList<ReportCell> Cells { get; } = cells;

    /// <summary>A totals or means row: drawn at the foot of the table, left out of best-in-column and
    /// sorting.</summary>
    public bool IsSummary { get; init; }
}
