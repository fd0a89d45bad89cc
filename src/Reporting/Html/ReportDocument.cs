namespace MlNetRobust.Reporting.Html;

/// <summary>What a report says, as plain data: pipelines fill it (a run, or an experiment of several
/// runs), <see cref="HtmlReportWriter"/> writes it. Everything in it is text, numbers or finished
/// figures; nothing refers back to models or tensors.</summary>
/// <example><code>
/// var report = new ReportDocument("fgsm-eps8 on CIFAR-10") { Subtitle = "ResNet18, 15 epochs" };
/// report.Facts.Add(KeyValuePair.Create("seed", "42"));
/// report.Sections.Add(ReportSections.Configuration(settings));
/// report.Sections.Add(new ReportSection("Notes", new TextBlock("PGD used 10 steps.")));
/// HtmlReportWriter.Write(report, "out/runs/fgsm-eps8");
/// </code></example>
public sealed class ReportDocument(string title)
{
    public string Title { get; } = title ?? throw new ArgumentNullException(nameof(title));

    public string? Subtitle { get; init; }

    /// <summary>Short facts shown under the title (run id, dataset, date — whatever the caller passes;
    /// the writer adds no timestamps of its own, so output is reproducible).</summary>
    public IList<KeyValuePair<string, string>> Facts { get; init; } = new List<KeyValuePair<string, string>>();

    public IList<ReportSection> Sections { get; init; } = new List<ReportSection>();
}
