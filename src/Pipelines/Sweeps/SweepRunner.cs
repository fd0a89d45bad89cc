using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>What a sweep searches, how, for how long and where it keeps its records.</summary>
public sealed record SweepOptions
{
    /// <summary>Holds trials.jsonl, trials.csv, best.json and trials/&lt;configuration&gt;/; rerunning the same sweep here resumes it.</summary>
    public required string OutputFolder { get; init; }

    public required SearchSpace Space { get; init; }

    public ISweepStrategy Strategy { get; init; } = new GreedyCoordinateSearch();

    /// <summary>Epochs per trial (successive halving: of its last rung).</summary>
    public int Epochs
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Epochs), value, "a sweep needs at least 1 epoch per trial");
    } = 1;

    public SweepBudget Budget { get; init; } = SweepBudget.Unlimited;

    /// <summary>The clock the time budget reads (tests pass a fake one).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>What happened to a trial, for progress displays.</summary>
public enum SweepEventKind
{
    /// <summary>The trial was in the log: its result is reused, nothing is trained.</summary>
    Reused,

    Started,

    Finished,
}

/// <summary>A trial event: the request, its number and, once known, its record.</summary>
public sealed record SweepEvent(SweepEventKind Kind, TrialRequest Request, int TrialId, SweepTrial? Trial);

/// <summary>
/// The outcome of a sweep: every trial in its log (from this run and earlier ones), the best one, why it stopped,
/// how many trials this run trained and how many it found already done, and where the files are.
/// </summary>
public sealed record SweepResult(
    IReadOnlyList<string> ParameterNames,
    IReadOnlyList<SweepTrial> Trials,
    SweepTrial? Best,
    SweepStopReason StopReason,
    int NewTrials,
    int ReusedTrials,
    string LogPath,
    string TablePath,
    string? BestPath);

/// <summary>
/// Runs a sweep: asks the strategy for trials, skips those the trial log already holds, stops at the budget,
/// trains the rest through the objective and appends each to the log as soon as it finishes — so an interrupted
/// sweep rerun with the same options picks up where it stopped. After every trial it rewrites the trial table
/// (<c>trials.csv</c>) and the best configuration (<c>best.json</c>), both atomically.
/// The best trial is the highest score among successful trials with the most epochs (successive halving's lower
/// rungs are not comparable with its last).
/// Example: <c>new SweepRunner(new() { OutputFolder = "sweeps/circle", Space = space, Strategy = new GridSearch() }).Run(objective)</c>
/// </summary>
public sealed class SweepRunner(SweepOptions options)
{
    public const string TableFileName = "trials.csv";
    public const string BestFileName = "best.json";

    public IProgress<SweepEvent>? Events { get; init; }

    /// <summary>What identifies this sweep in its log: the objective's identity plus the space, strategy and epochs.</summary>
    public IReadOnlyDictionary<string, string> Identity(ISweepObjective objective)
    {
        var identity = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in objective.Identity)
        {
            identity[key] = value;
        }
        identity["space"] = options.Space.Describe();
        identity["strategy"] = options.Strategy.Describe();
        identity["epochs"] = options.Epochs.ToString(CultureInfo.InvariantCulture);
        return identity;
    }

    public SweepResult Run(ISweepObjective objective, CancellationToken cancellation = default)
    {
        var log = TrialLog.Open(options.OutputFolder, Identity(objective));
        var done = new Dictionary<string, SweepTrial>(StringComparer.Ordinal);
        foreach (var trial in log.Trials)
        {
            var parameters = options.Space.Read(trial.Parameters)
                ?? throw new InvalidDataException($"'{log.Path}': trial {trial.Id} has parameters {string.Join(", ", trial.Parameters.Keys)}, not those of this sweep");
            done[new TrialRequest(parameters, trial.Epochs).Key] = trial;
        }
        var results = new Results(done);
        var started = options.Clock.GetTimestamp();
        int fresh = 0, reused = 0;
        var stop = SweepStopReason.Completed;
        var fromLog = new HashSet<string>(done.Keys, StringComparer.Ordinal);
        foreach (var request in options.Strategy.Propose(options.Space, options.Epochs, results))
        {
            if (done.TryGetValue(request.Key, out var known))
            {
                // Finished by an earlier run (reported once), or proposed again in this one (greedy's current best): free either way.
                if (fromLog.Remove(request.Key))
                {
                    reused++;
                    Events?.Report(new SweepEvent(SweepEventKind.Reused, request, known.Id, known));
                }
                continue;
            }
            if (options.Budget.MaxTrials is { } maxTrials && log.Trials.Count >= maxTrials)
            {
                stop = SweepStopReason.TrialBudget;
                break;
            }
            if (options.Budget.MaxTime is { } maxTime && options.Clock.GetElapsedTime(started) >= maxTime)
            {
                stop = SweepStopReason.TimeBudget;
                break;
            }
            cancellation.ThrowIfCancellationRequested();
            var id = log.Trials.Count + 1;
            var folder = Path.Combine("trials", FolderName(request.Parameters));
            Events?.Report(new SweepEvent(SweepEventKind.Started, request, id, null));
            var clock = Stopwatch.StartNew();
            var outcome = objective.Evaluate(request, new TrialContext(id, Path.Combine(options.OutputFolder, folder), cancellation));
            var record = new SweepTrial(id, request.Parameters.Key, request.Parameters.ToDictionary(), request.Epochs, outcome.Status,
                outcome.Status == TrialStatus.Ok ? outcome.Score : null, outcome.Metrics, Math.Round(clock.Elapsed.TotalSeconds, 3), folder, DateTime.UtcNow, outcome.Message);
            log.Append(record);
            done[request.Key] = record;
            fresh++;
            WriteTable(log.Trials);
            WriteBest(log.Trials, Identity(objective));
            Events?.Report(new SweepEvent(SweepEventKind.Finished, request, id, record));
        }
        if (stop == SweepStopReason.Completed)
        {
            objective.Completed(log.Trials.Select(t => Path.Combine(options.OutputFolder, t.Folder)).Distinct().ToList());
        }
        WriteTable(log.Trials);
        var best = WriteBest(log.Trials, Identity(objective));
        return new SweepResult(options.Space.Parameters.Select(p => p.Name).ToList(), log.Trials.ToList(), best, stop, fresh, reused, log.Path,
            Path.Combine(options.OutputFolder, TableFileName), best is null ? null : Path.Combine(options.OutputFolder, BestFileName));
    }

    /// <summary>The best successful trial among those with the most epochs; ties go to the earlier trial.</summary>
    public static SweepTrial? Best(IEnumerable<SweepTrial> trials)
    {
        var ok = trials.Where(t => t.Status == TrialStatus.Ok && t.Score is not null).ToList();
        if (ok.Count == 0)
        {
            return null;
        }
        var epochs = ok.Max(t => t.Epochs);
        return ok.Where(t => t.Epochs == epochs).OrderByDescending(t => t.Score).ThenBy(t => t.Id).First();
    }

    /// <summary>"cfg-" + 10 hex digits of the configuration key's SHA-256: one folder per configuration, whatever its epochs.</summary>
    internal static string FolderName(ParameterSet parameters) =>
        "cfg-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(parameters.Key)))[..10];

    private void WriteTable(IReadOnlyList<SweepTrial> trials) =>
        WriteAtomically(Path.Combine(options.OutputFolder, TableFileName), Table(options.Space.Parameters.Select(p => p.Name).ToList(), trials));

    /// <summary>trial, status, epochs, one column per parameter, score, one column per metric, seconds.</summary>
    public static string Table(IReadOnlyList<string> parameters, IReadOnlyList<SweepTrial> trials)
    {
        var metrics = trials.SelectMany(t => t.Metrics.Keys).Distinct().ToList();
        var csv = new StringBuilder(string.Join(',', ["trial", "status", "epochs", .. parameters, "score", .. metrics, "seconds"])).Append('\n');
        foreach (var t in trials)
        {
            csv.AppendJoin(',', [
                t.Id.ToString(CultureInfo.InvariantCulture), t.Status.ToString().ToLowerInvariant(), t.Epochs.ToString(CultureInfo.InvariantCulture),
                .. parameters.Select(p => SweepParameter.Format(t.Parameters[p])),
                Number(t.Score), .. metrics.Select(m => Number(t.Metrics.TryGetValue(m, out var v) ? v : null)),
                t.Seconds.ToString("0.###", CultureInfo.InvariantCulture)]).Append('\n');
        }
        return csv.ToString();
    }

    private static string Number(double? value) => value?.ToString("0.######", CultureInfo.InvariantCulture) ?? "";

    private SweepTrial? WriteBest(IReadOnlyList<SweepTrial> trials, IReadOnlyDictionary<string, string> identity)
    {
        var best = Best(trials);
        if (best is not null)
        {
            WriteAtomically(Path.Combine(options.OutputFolder, BestFileName),
                JsonSerializer.Serialize(new { parameters = best.Parameters, score = best.Score, trial = best, sweep = identity }, s_indented));
        }
        return best;
    }

    private static readonly JsonSerializerOptions s_indented = new(TrialLog.Json) { WriteIndented = true };

    private static void WriteAtomically(string path, string text)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    private sealed class Results(IReadOnlyDictionary<string, SweepTrial> done) : ITrialResults
    {
        public double? ScoreOf(TrialRequest request) => done.TryGetValue(request.Key, out var t) && t.Status == TrialStatus.Ok ? t.Score : null;
    }
}
