namespace MlNetRobust.Reporting.Html;

/// <summary>A list of links to files beside the report (for an experiment: its runs' reports).</summary>
public sealed class LinkListBlock(params IReadOnlyList<ReportLink> links) : ReportBlock
{
    public IReadOnlyList<ReportLink> Links { get; } = links;
}
