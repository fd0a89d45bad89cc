namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>The output folder holds the trial log of a different sweep (other scenario, space, strategy or settings).</summary>
public sealed class SweepLogMismatchException(string message) : Exception(message);
