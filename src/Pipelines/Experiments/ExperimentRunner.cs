using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Pipelines.Scenarios;
using MlNetRobust.Trainers.Training;

namespace MlNetRobust.Pipelines.Experiments;

/// <summary>
/// Trains and evaluates a set of scenarios on shared data, one folder per scenario:
/// <c>OUT/&lt;scenario&gt;/{model.zip, weights.pt, result.json, checkpoint/}</c>, then writes the comparison
/// table (<c>OUT/results.csv</c>, <c>OUT/results.json</c>) and the run record (<c>OUT/run.json</c>: options,
/// seed, versions) with <c>OUT/data.json</c> (the data's sizes and split, so the report can be rebuilt).
/// Resumable at two levels: a scenario with a result.json is skipped, and an unfinished one continues from its
/// last epoch checkpoint.
/// </summary>
public sealed class ExperimentRunner(ExperimentOptions options)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Training progress of the scenario being trained.</summary>
    public IProgress<(string Scenario, TrainingProgress Progress)>? TrainingProgress { get; init; }

    /// <summary>Stage messages ("baseline-ce: evaluating FGSM eps 8/255").</summary>
    public IProgress<string>? Messages { get; init; }

    /// <summary>All results and where the report went.</summary>
    public sealed record Outcome(IReadOnlyList<ScenarioResult> Results, string ReportPath);

    public Outcome Run()
    {
        var scenarios = options.Scenarios.Select(ScenarioCatalog.Get).ToList();
        ScenarioOverrides.Check(options.Parameters, scenarios);
        Directory.CreateDirectory(options.OutputFolder);
        var ctx = new RobustContext(options.Training.Seed);
        WriteRunRecord();
        using var data = new ExperimentData(ctx, options);
        WriteAtomically(Path.Combine(options.OutputFolder, ReportRebuilder.DataSummaryFile), JsonSerializer.Serialize(ExperimentDataSummary.From(data), Json));
        var results = new List<ScenarioResult>();
        foreach (var scenario in scenarios)
        {
            results.Add(RunScenario(ctx, data, scenario));
        }
        WriteComparison(results);
        var versions = Versions();
        foreach (var r in results)
        {
            ExperimentReport.Write(options, data, [r], versions, Path.Combine(options.OutputFolder, r.Scenario, "report"));
        }
        var report = ExperimentReport.Write(options, data, results, versions, Path.Combine(options.OutputFolder, "report"),
            results.Select(r => (r.Scenario, Path.Combine("..", r.Scenario, "report", "report.html"))).ToList());
        Messages?.Report($"report: {report}");
        return new Outcome(results, report);
    }

    private static Dictionary<string, string> Versions() => new()
    {
        ["mlnet-robust"] = ModelZip.ProductVersion,
        ["libtorch"] = Torch.torch.version,
        [".NET"] = Environment.Version.ToString(),
        ["intra-op threads"] = Torch.torch.get_num_threads().ToString(CultureInfo.InvariantCulture),
        ["processors"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        ["malloc"] = Torch.torch.allocator_description,
    };

    private ScenarioResult RunScenario(RobustContext ctx, ExperimentData data, Scenario scenario)
    {
        var folder = Path.Combine(options.OutputFolder, scenario.Name);
        var resultPath = Path.Combine(folder, "result.json");
        if (File.Exists(resultPath))
        {
            Messages?.Report($"{scenario.Name}: already finished, skipping ({resultPath})");
            return JsonSerializer.Deserialize<ScenarioResult>(File.ReadAllText(resultPath), Json)
                ?? throw new InvalidDataException($"{resultPath} is empty");
        }
        Directory.CreateDirectory(folder);
        var parameters = ScenarioOverrides.For(scenario, options.Parameters);
        var description = scenario.Description + ScenarioOverrides.Describe(parameters);
        Messages?.Report($"{scenario.Name}: training ({description})");
        var progress = TrainingProgress is null ? null : new Relay(scenario.Name, TrainingProgress);
        var trainer = scenario.CreateTrainer(new ScenarioContext(ctx, options.Training, data.Validation, Path.Combine(folder, "checkpoint"), progress, parameters));
        var clock = Stopwatch.StartNew();
        using var model = trainer.Fit(data.Train);
        var trainSeconds = clock.Elapsed.TotalSeconds;

        // Every model gets a KNN head on its training embeddings; for metric-learning models it is the classifier
        // and goes into the saved pipeline.
        clock.Restart();
        using var knn = ctx.Trainers.Knn(k: 3).Fit(model.Transform(data.Train));
        var modelPath = Path.Combine(folder, "model.zip");
        var weightsPath = Path.Combine(folder, "weights.pt");
        ITransformer[] steps = model.HasClassifier ? [.. data.Preprocessing.Transformers, model] : [.. data.Preprocessing.Transformers, model, knn];
        ModelZip.Save(new TransformerChain<ITransformer>(steps), data.RawSchema, modelPath);
        model.ExportStateDict(weightsPath);

        var evaluation = new ScenarioEvaluator(ctx, data, options).Evaluate(model, knn, new Prefix(scenario.Name, Messages));
        var metrics = evaluation.Metrics;
        foreach (var (head, report) in evaluation.CleanReports)
        {
            WriteAtomically(Path.Combine(folder, $"report-{head}.txt"), report.Report.ToString() + Environment.NewLine + report.ConfusionMatrix.ToString());
            WriteAtomically(Path.Combine(folder, $"metrics-{head}.json"), report.ToJson());
        }
        File.WriteAllBytes(Path.Combine(folder, "samples.png"), SampleImages.Render(ctx, model, data, options));
        if (options.UmapPerClass > 0)
        {
            Messages?.Report($"{scenario.Name}: UMAP of the embeddings");
            WriteAtomically(Path.Combine(folder, "umap.json"), JsonSerializer.Serialize(EmbeddingMaps.Compute(ctx, model, data, options.UmapPerClass, options.Training.Seed), Json));
        }
        var result = new ScenarioResult(scenario.Name, description, options.Training.Seed, metrics, model.History,
            trainSeconds, clock.Elapsed.TotalSeconds, modelPath, weightsPath);
        WriteAtomically(resultPath, JsonSerializer.Serialize(result, Json));
        Messages?.Report($"{scenario.Name}: done — " + string.Join(", ", metrics.Where(m => !m.Metric.StartsWith("corruption_", StringComparison.Ordinal) || m.Metric == "corruption_mean")
            .Select(m => $"{m.Head} {m.Metric} {m.Value:P1}")));
        return result;
    }

    private void WriteRunRecord() => WriteAtomically(Path.Combine(options.OutputFolder, "run.json"), JsonSerializer.Serialize(new
    {
        options,
        versions = new
        {
            mlnet_robust = ModelZip.ProductVersion,
            libtorch = Torch.torch.version,
            dotnet = Environment.Version.ToString(),
            threads = Torch.torch.get_num_threads(),
            malloc = Torch.torch.allocator_description,
        },
        started_utc = DateTime.UtcNow,
        machine = Environment.MachineName,
        processors = Environment.ProcessorCount,
    }, Json));

    private void WriteComparison(IReadOnlyList<ScenarioResult> results)
    {
        var columns = results.SelectMany(r => r.Metrics.Select(m => m.Metric)).Distinct().ToList();
        var csv = new StringBuilder("scenario,head," + string.Join(',', columns) + ",train_seconds\n");
        foreach (var r in results)
        {
            foreach (var head in r.Metrics.Select(m => m.Head).Distinct())
            {
                csv.Append(CultureInfo.InvariantCulture, $"{r.Scenario},{head}");
                foreach (var c in columns)
                {
                    csv.Append(',').Append(r.Get(head, c)?.ToString("0.####", CultureInfo.InvariantCulture) ?? "");
                }
                csv.Append(CultureInfo.InvariantCulture, $",{r.TrainSeconds:0}\n");
            }
        }
        WriteAtomically(Path.Combine(options.OutputFolder, "results.csv"), csv.ToString());
        WriteAtomically(Path.Combine(options.OutputFolder, "results.json"), JsonSerializer.Serialize(results, Json));
    }

    internal static void WriteAtomically(string path, string text)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    private sealed class Relay(string scenario, IProgress<(string, TrainingProgress)> target) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => target.Report((scenario, value));
    }

    private sealed class Prefix(string scenario, IProgress<string>? target) : IProgress<string>
    {
        public void Report(string value) => target?.Report($"{scenario}: evaluating {value}");
    }
}
