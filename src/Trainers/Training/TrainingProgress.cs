namespace MlNetRobust.Trainers.Training;

public enum TrainingPhase
{
    Train,
    Validate,
    EpochEnd,
}

/// <summary>A progress event, raised per batch and per epoch, for progress bars and logs.</summary>
public sealed record TrainingProgress(
    TrainingPhase Phase,
    int Epoch,
    int Epochs,
    int Batch,
    int Batches,
    double Loss,
    double Accuracy,
    double ImagesPerSecond,
    TimeSpan Elapsed,
    TimeSpan EstimatedRemaining,
    double LearningRate,
    EpochMetrics? EpochSummary = null);
