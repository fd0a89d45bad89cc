namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>
/// What a sweep optimises: trains and scores one trial. Higher scores are better. Training a scenario
/// (<see cref="ScenarioObjective"/>) is the real one; tests drive the strategies with cheap synthetic functions.
/// </summary>
public interface ISweepObjective
{
    /// <summary>What the scores depend on besides the trial's parameters (scenario, data, settings): part of the sweep's identity.</summary>
    IReadOnlyDictionary<string, string> Identity { get; }

    TrialOutcome Evaluate(TrialRequest request, TrialContext trial);

    /// <summary>The strategy has proposed everything: no trial will be continued, so what was kept for that can go.</summary>
    /// <param name="trialFolders">The folders of the sweep's trials.</param>
    void Completed(IReadOnlyList<string> trialFolders)
    {
    }
}

/// <summary>Where a trial runs: its number in the log, its own folder (the same for every rung of one configuration) and cancellation.</summary>
public sealed record TrialContext(int Id, string Folder, CancellationToken Cancellation);

/// <summary>How a trial ended.</summary>
public enum TrialStatus
{
    Ok,

    /// <summary>Training diverged (e.g. a NaN loss at a too-high learning rate): a finished trial that scores nothing.</summary>
    Failed,
}

/// <summary>A trial's score (the number the sweep maximises) and the metrics it measured on the way.</summary>
public sealed record TrialOutcome(TrialStatus Status, double? Score, IReadOnlyDictionary<string, double> Metrics, string? Message = null)
{
    public static TrialOutcome Ok(double score, IReadOnlyDictionary<string, double>? metrics = null) =>
        new(TrialStatus.Ok, score, metrics ?? new Dictionary<string, double>());

    public static TrialOutcome Failed(string message) => new(TrialStatus.Failed, null, new Dictionary<string, double>(), message);
}
