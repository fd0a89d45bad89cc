namespace MlNetRobust.Reporting.Html;

/// <summary>A file of a rendered report, at a path relative to the report's folder.</summary>
public sealed record ReportAsset(string RelativePath, byte[] Content);
