namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>
/// When a sweep stops before its strategy runs out: after <see cref="MaxTrials"/> trials in the log (those of earlier,
/// interrupted runs count, so a resumed sweep does not start over), or when <see cref="MaxTime"/> has passed in this
/// run. Both are checked before a trial starts; a trial that has started finishes. Trials found in the log cost nothing.
/// </summary>
public sealed record SweepBudget
{
    public static SweepBudget Unlimited { get; } = new();

    public int? MaxTrials
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxTrials), value, "a trial budget must be at least 1");
    }

    public TimeSpan? MaxTime
    {
        get;
        init => field = value is null || value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(MaxTime), value, "a time budget must be positive");
    }
}

/// <summary>Why a sweep ended.</summary>
public enum SweepStopReason
{
    /// <summary>The strategy proposed everything it wanted.</summary>
    Completed,

    TrialBudget,

    TimeBudget,
}
