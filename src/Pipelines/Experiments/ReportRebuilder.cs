using System.Text.Json;
using MlNetRobust.Persistence;

namespace MlNetRobust.Pipelines.Experiments;

/// <summary>
/// Rebuilds the HTML reports of a train or experiment output folder from the files the runner wrote:
/// run.json (options, versions), data.json (the data's summary) and each scenario's result.json, metrics and
/// figures — no model is loaded and no image is read. Older folders without data.json fall back to listing
/// the data folder named in run.json.
/// </summary>
public static class ReportRebuilder
{
    public const string RunRecordFile = "run.json";
    public const string DataSummaryFile = "data.json";
    public const string ResultFile = "result.json";

    /// <summary>
    /// Writes OUT/report/report.html and each scenario's page; returns the experiment report's path.
    /// <paramref name="dataFolder"/> replaces run.json's data folder where data.json is missing.
    /// </summary>
    public static string Rebuild(string folder, string? dataFolder = null, IProgress<string>? messages = null)
    {
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"run folder '{folder}' does not exist");
        }
        var runPath = Path.Combine(root, RunRecordFile);
        var scenarioFolders = Directory.EnumerateDirectories(root).Where(d => File.Exists(Path.Combine(d, ResultFile))).ToList();
        if (!File.Exists(runPath) || scenarioFolders.Count == 0)
        {
            throw new InvalidDataException($"'{folder}' holds no results to report (expected {RunRecordFile} and <scenario>/{ResultFile}, " +
                "as written by 'mlnet-robust train' or 'experiment' with --output)");
        }
        var record = Read<RunRecord>(runPath);
        // The folder may have moved since the run: per-scenario files are read from where it is now.
        var options = record.Options with { OutputFolder = root, DataFolder = dataFolder ?? record.Options.DataFolder };
        var order = options.Scenarios.ToList();
        var results = scenarioFolders
            .Select(d => Read<ScenarioResult>(Path.Combine(d, ResultFile)))
            .OrderBy(r => order.IndexOf(r.Scenario) is var i and >= 0 ? i : int.MaxValue)
            .ThenBy(r => r.Scenario, StringComparer.Ordinal)
            .ToList();
        var data = ReadSummary(root, options, messages);
        var versions = new Dictionary<string, string>
        {
            ["mlnet-robust"] = record.Versions?.MlnetRobust ?? "?",
            ["libtorch"] = record.Versions?.Libtorch ?? "?",
            [".NET"] = record.Versions?.Dotnet ?? "?",
            ["intra-op threads"] = record.Versions?.Threads?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?",
            ["processors"] = record.Processors?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?",
            ["report rebuilt by"] = $"mlnet-robust {ModelZip.ProductVersion}",
        };
        foreach (var r in results)
        {
            ExperimentReport.Write(options, data, [r], versions, Path.Combine(root, r.Scenario, "report"));
        }
        return ExperimentReport.Write(options, data, results, versions, Path.Combine(root, "report"),
            results.Select(r => (r.Scenario, Path.Combine("..", r.Scenario, "report", "report.html"))).ToList());
    }

    private static ExperimentDataSummary ReadSummary(string root, ExperimentOptions options, IProgress<string>? messages)
    {
        var path = Path.Combine(root, DataSummaryFile);
        if (File.Exists(path))
        {
            return Read<ExperimentDataSummary>(path);
        }
        messages?.Report($"{DataSummaryFile} not found (a run from an older version): listing the data folder again");
        try
        {
            using var data = new ExperimentData(new RobustContext(options.Training.Seed), options);
            return ExperimentDataSummary.From(data);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new InvalidDataException($"'{root}' has no {DataSummaryFile} and its data cannot be found to describe it again: {e.Message}", e);
        }
    }

    private static T Read<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), ExperimentRunner.Json)
                ?? throw new InvalidDataException($"'{path}' is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a valid {typeof(T).Name} file: {e.Message}", e);
        }
    }

    /// <summary>What the report needs from run.json.</summary>
    private sealed record RunRecord(ExperimentOptions Options, RunVersions? Versions, int? Processors);

    private sealed record RunVersions(string? MlnetRobust, string? Libtorch, string? Dotnet, int? Threads);
}
