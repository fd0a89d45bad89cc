namespace MlNetRobust.Reporting.Html;

/// <summary>How long one stage of a run took (loading, training, each evaluation).</summary>
public sealed record StageTiming(string Stage, TimeSpan Duration);
