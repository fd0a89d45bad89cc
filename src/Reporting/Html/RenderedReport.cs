namespace MlNetRobust.Reporting.Html;

/// <summary>A report in memory: the page and the files it links to (figures), all paths relative.</summary>
public sealed record RenderedReport(string Html, IReadOnlyList<ReportAsset> Assets);
