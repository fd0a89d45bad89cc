namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>
/// What a strategy asks for: train <see cref="Parameters"/> for <see cref="Epochs"/> epochs and score it.
/// The same configuration at the same epochs is the same trial (<see cref="Key"/>): it is evaluated once per sweep.
/// </summary>
public sealed record TrialRequest(ParameterSet Parameters, int Epochs)
{
    /// <summary>
    /// Epochs this configuration already trained in an earlier rung (successive halving): the objective can continue
    /// from that trial's checkpoint instead of starting again.
    /// </summary>
    public int PreviousEpochs { get; init; }

    /// <summary>A later rung may continue this trial, so the objective keeps its checkpoint.</summary>
    public bool MayBeContinued { get; init; }

    /// <summary>"m=0.25;gamma=64@3".</summary>
    public string Key => $"{Parameters.Key}@{Epochs}";
}
