namespace MlNetRobust.Reporting.Html;

/// <summary>A generic table: columns (names, number formats, best-in-column rule) and rows of cells.
/// The scenario comparison is one (rows scenario × head, columns clean / perturbed / FGSM / PGD / mean
/// corruption accuracy), the data split another.</summary>
/// <example><code>
/// var table = new ReportTable(
///     new ReportColumn("Scenario"), new ReportColumn("Head"),
///     new ReportColumn("Clean") { Format = NumberFormat.Percent(1), Best = BestValue.Highest });
/// table.Rows.Add(new ReportRow("baseline", "classifier", 0.912));
/// </code></example>
public sealed class ReportTable(params IReadOnlyList<ReportColumn> columns) : ReportBlock
{
    public IReadOnlyList<ReportColumn> Columns { get; } = columns;

    public IList<ReportRow> Rows { get; init; } = new List<ReportRow>();

    /// <summary>An optional title shown above the table.</summary>
    public string? Caption { get; init; }

    /// <summary>Lets readers sort by a column by clicking its header (a few lines of inline script;
    /// without script the table still reads in its given order).</summary>
    public bool Sortable { get; init; } = true;
}
