using MlNetRobust.Pipelines.Sweeps;

namespace MlNetRobust.Pipelines.Tests;

/// <summary>A cheap objective with a known optimum: records every call, optionally advancing a fake clock per trial.</summary>
internal sealed class SyntheticObjective(Func<ParameterSet, int, double?> score, string name = "synthetic") : ISweepObjective
{
    public List<TrialRequest> Calls { get; } = [];

    public FakeClock? Clock { get; init; }

    public TimeSpan TrialTime { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyDictionary<string, string> Identity { get; } = new Dictionary<string, string> { ["objective"] = name };

    /// <summary>The trial folders the runner passed when the strategy ran out; null until then.</summary>
    public IReadOnlyList<string>? CompletedFolders { get; private set; }

    public void Completed(IReadOnlyList<string> trialFolders) => CompletedFolders = trialFolders;

    public TrialOutcome Evaluate(TrialRequest request, TrialContext trial)
    {
        Calls.Add(request);
        Clock?.Advance(TrialTime);
        return score(request.Parameters, request.Epochs) is { } s
            ? TrialOutcome.Ok(s, new Dictionary<string, double> { ["double"] = 2 * s })
            : TrialOutcome.Failed("diverged");
    }

    /// <summary>−(x − 2)² − (y + 1)²: separable, best at x = 2, y = −1.</summary>
    public static SyntheticObjective Quadratic() => new((p, _) => -Math.Pow(p["x"] - 2, 2) - Math.Pow(p["y"] + 1, 2), "quadratic");
}

/// <summary>A clock that moves only when told to.</summary>
internal sealed class FakeClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}
