namespace MlNetRobust.Reporting.Html;

/// <summary>A link from the report to a file beside it (a run's report from the experiment's, a model
/// zip). Only relative paths are accepted: a report folder must work wherever it is copied.</summary>
public sealed record ReportLink(string Text, string RelativePath)
{
    /// <summary>Shown after the link.</summary>
    public string? Description { get; init; }
}
