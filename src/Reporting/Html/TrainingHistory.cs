namespace MlNetRobust.Reporting.Html;

/// <summary>Per-epoch metrics of one training run (epoch 1 first). Any list may be empty, and a NaN
/// leaves a gap (an epoch without validation).</summary>
public sealed record TrainingHistory(string Name)
{
    public IReadOnlyList<double> TrainLoss { get; init; } = [];

    public IReadOnlyList<double> ValidationLoss { get; init; } = [];

    /// <summary>Fractions in [0, 1].</summary>
    public IReadOnlyList<double> TrainAccuracy { get; init; } = [];

    public IReadOnlyList<double> ValidationAccuracy { get; init; } = [];
}
