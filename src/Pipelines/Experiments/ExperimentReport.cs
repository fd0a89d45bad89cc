using System.Globalization;
using MlNetRobust.Pipelines.Scenarios;
using MlNetRobust.Reporting;
using MlNetRobust.Reporting.Charts;
using MlNetRobust.Reporting.Html;
using MlNetRobust.Trainers.Evaluation;
using SchedulerKind = MlNetRobust.Trainers.Training.SchedulerKind;

namespace MlNetRobust.Pipelines.Experiments;

/// <summary>
/// Turns results into an HTML report — the experiment's (OUT/report/report.html, linking each run's page) and
/// one per run (OUT/&lt;scenario&gt;/report/report.html): configuration, data split,
/// the comparison table (scenario × head), training curves, clean confusion matrices, per-corruption
/// accuracy, timing and versions. Reads only what the runner wrote, so it can be rebuilt at any time.
/// </summary>
public static class ExperimentReport
{
    /// <summary>The comparison table's columns, in order: (metric key, heading).</summary>
    public static IReadOnlyList<(string Metric, string Heading)> MainColumns(ExperimentOptions options) =>
    [
        ("clean", "Clean"),
        ("perturbed", "Perturbed"),
        .. options.FgsmEps.Select(e => ($"fgsm_{ScenarioEvaluator.EpsName(e)}", $"FGSM {ScenarioEvaluator.EpsName(e)}")),
        ($"pgd{options.PgdSteps}_{ScenarioEvaluator.EpsName(options.PgdEps)}", $"PGD-{options.PgdSteps} {ScenarioEvaluator.EpsName(options.PgdEps)}"),
        ("corruption_mean", "Mean corruption"),
    ];

    public static string Write(ExperimentOptions options, ExperimentData data, IReadOnlyList<ScenarioResult> results, IReadOnlyDictionary<string, string> versions,
        string folder, IReadOnlyList<(string Name, string RelativePath)>? runs = null) =>
        Write(options, ExperimentDataSummary.From(data), results, versions, folder, runs);

    /// <summary>The report from the data's summary alone (what <see cref="ReportRebuilder"/> has after the fact).</summary>
    public static string Write(ExperimentOptions options, ExperimentDataSummary data, IReadOnlyList<ScenarioResult> results, IReadOnlyDictionary<string, string> versions,
        string folder, IReadOnlyList<(string Name, string RelativePath)>? runs = null)
    {
        var document = new ReportDocument(runs is null && results.Count == 1 ? $"MlNetRobust run: {results[0].Scenario}" : "MlNetRobust experiment")
        {
            Subtitle = $"{string.Join(", ", results.Select(r => r.Scenario))} on {Path.GetFileName(data.DataFolder.TrimEnd('/'))}",
        };
        document.Facts.Add(new("train / validation / test", $"{data.Train:N0} / {data.Validation:N0} / {data.Test:N0}"));
        document.Facts.Add(new("seed", options.Training.Seed.ToString(CultureInfo.InvariantCulture)));
        document.Facts.Add(new("epochs", options.Training.Epochs.ToString(CultureInfo.InvariantCulture)));

        var columns = MainColumns(options);
        var table = new ReportTable([
            new ReportColumn("Scenario"),
            new ReportColumn("Head"),
            .. columns.Select(c => new ReportColumn(c.Heading) { Format = NumberFormat.Percent(1), Best = BestValue.Highest }),
            new ReportColumn("Train time") { Format = NumberFormat.Seconds },
        ]);
        foreach (var r in results)
        {
            foreach (var head in r.Metrics.Select(m => m.Head).Distinct())
            {
                table.Rows.Add(new ReportRow([r.Scenario, head, .. columns.Select(c => r.Get(head, c.Metric) is { } v ? (ReportCell)v : (ReportCell)"—"), r.TrainSeconds]));
            }
        }
        document.Sections.Add(ReportSections.Comparison(table,
            $"Accuracy on {data.Test:N0} test images (PGD on {data.PgdSubset:N0}, corruptions on {data.CorruptionSubset:N0} × 13 corruptions × 5 severities). " +
            "Attacks are white-box against each model's own output; the KNN head (k = 3, cosine) reads the same images."));

        if (runs is not null)
        {
            document.Sections.Add(ReportSections.Runs(runs.Select(r => new ReportLink(r.Name, r.RelativePath))));
        }

        document.Sections.Add(ReportSections.TrainingCurves(results.Select(r => new TrainingHistory(r.Scenario)
        {
            TrainLoss = r.History.Epochs.Select(e => e.TrainLoss).ToList(),
            ValidationLoss = r.History.Epochs.Select(e => e.ValidationLoss ?? double.NaN).ToList(),
            TrainAccuracy = r.History.Epochs.Select(e => e.TrainAccuracy ?? double.NaN).ToList(),
            ValidationAccuracy = r.History.Epochs.Select(e => e.ValidationAccuracy ?? double.NaN).ToList(),
        })));

        foreach (var r in results)
        {
            var path = Path.Combine(options.OutputFolder, r.Scenario, "umap.json");
            if (File.Exists(path) && System.Text.Json.JsonSerializer.Deserialize<List<EmbeddingMaps.Map>>(File.ReadAllText(path), ExperimentRunner.Json) is { } maps)
            {
                document.Sections.Add(ReportSections.EmbeddingMaps(data.ClassNames,
                    maps.Select(m => ScatterPanel.FromPairs(m.Title, m.Xy, m.Labels)).ToList(),
                    $"UMAP (15 neighbours, min_dist 0.1) of {r.Scenario}'s embeddings, fitted on training images; clean and perturbed test images projected into the same map.",
                    $"Embedding map — {r.Scenario}"));
            }
        }

        foreach (var r in results)
        {
            var samples = Path.Combine(options.OutputFolder, r.Scenario, "samples.png");
            if (File.Exists(samples))
            {
                document.Sections.Add(new ReportSection($"Samples — {r.Scenario}", new FigureBlock(ReportFigure.Png($"samples-{r.Scenario}", File.ReadAllBytes(samples),
                    "One test image per class: clean, perturbed (noise, jitter, flip, rotation at p = 0.3), FGSM and PGD against this model; after each, the change ×10."))));
            }
        }

        var matrices = new List<(string, int[,])>();
        foreach (var r in results)
        {
            foreach (var head in new[] { ScenarioEvaluator.ClassifierHead, ScenarioEvaluator.KnnHead })
            {
                var path = Path.Combine(options.OutputFolder, r.Scenario, $"metrics-{head}.json");
                if (File.Exists(path))
                {
                    var counts = ClassificationMetrics.FromJson(File.ReadAllText(path)).ConfusionMatrix.Counts;
                    var matrix = new int[counts.Length, counts.Length];
                    for (var i = 0; i < counts.Length; i++)
                    {
                        for (var j = 0; j < counts.Length; j++)
                        {
                            matrix[i, j] = (int)counts[i][j];
                        }
                    }
                    matrices.Add(($"{r.Scenario} ({head}), clean test", matrix));
                }
            }
        }
        if (matrices.Count > 0)
        {
            document.Sections.Add(ReportSections.ConfusionMatrices(data.ClassNames, matrices));
        }

        var corruptions = ScenarioEvaluator.BenchmarkCorruptions.Select(c => c.ToString()).ToList();
        var series = results.SelectMany(r => r.Metrics.Select(m => m.Head).Distinct().Select(head => (r, head)))
            .Where(x => x.r.Get(x.head, $"corruption_{corruptions[0]}_1") is not null)
            .Select(x => new BarSeries($"{x.r.Scenario} ({x.head})", corruptions.Select(c =>
                Enumerable.Range(1, 5).Average(s => x.r.Get(x.head, $"corruption_{c}_{s}") ?? 0)).ToList()))
            .ToList();
        if (series.Count > 0)
        {
            document.Sections.Add(ReportSections.CorruptionAccuracy(corruptions, series, chartTitle: "Accuracy per corruption (mean over severities 1–5)"));
        }

        document.Sections.Add(ReportSections.DataSplit(data.Split,
            "Data split (training folder, before any per-class cap)"));
        document.Sections.Add(ReportSections.Timing(results.SelectMany(r => new[]
        {
            new StageTiming($"{r.Scenario}: training", TimeSpan.FromSeconds(r.TrainSeconds)),
            new StageTiming($"{r.Scenario}: evaluation", TimeSpan.FromSeconds(r.EvaluateSeconds)),
        })));
        document.Sections.Add(ReportSections.Configuration(new Dictionary<string, string>
        {
            ["data"] = data.DataFolder,
            ["scenarios"] = string.Join(", ", results.Select(r => $"{r.Scenario}: {r.Description}")),
            ["train fraction"] = options.TrainFraction.ToString(CultureInfo.InvariantCulture),
            ["train images per class (cap)"] = options.TrainPerClass?.ToString(CultureInfo.InvariantCulture) ?? "all",
            ["epochs, batch, lr, schedule"] = $"{options.Training.Epochs}, {options.Training.BatchSize}, {options.Training.LearningRate}, {Schedule(options.Training)}",
            ["model"] = $"{options.Training.Depth}, width {options.Training.Width}, CIFAR stem",
            ["FGSM eps"] = string.Join(", ", options.FgsmEps.Select(ScenarioEvaluator.EpsName)),
            ["PGD"] = $"eps {ScenarioEvaluator.EpsName(options.PgdEps)}, {options.PgdSteps} steps, step eps/4, random start",
            ["seed"] = options.Training.Seed.ToString(CultureInfo.InvariantCulture),
        }));
        document.Sections.Add(ReportSections.Versions(versions));
        return HtmlReportWriter.Write(document, folder);
    }

    /// <summary>"StepLR every 10 epochs × 0.5", "cosine annealing to 0", "one-cycle (per batch)".</summary>
    internal static string Schedule(TrainingSettings training) => training.Scheduler switch
    {
        SchedulerKind.Step => $"StepLR every {training.StepSize} epochs × {training.Gamma.ToString(CultureInfo.InvariantCulture)}",
        SchedulerKind.Cosine => "cosine annealing to 0",
        SchedulerKind.OneCycle => "one-cycle (per batch)",
        _ => "constant",
    };
}
