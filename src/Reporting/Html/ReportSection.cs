namespace MlNetRobust.Reporting.Html;

/// <summary>A titled part of the report (configuration, data split, comparison, …), listed in the
/// report's navigation; its blocks are shown in order.</summary>
public sealed class ReportSection(string title, params IEnumerable<ReportBlock> blocks)
{
    public string Title { get; } = title ?? throw new ArgumentNullException(nameof(title));

    public IList<ReportBlock> Blocks { get; init; } = [.. blocks];
}
