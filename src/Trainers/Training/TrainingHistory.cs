using System.Text.Json.Serialization;

namespace MlNetRobust.Trainers.Training;

/// <summary>
/// What one epoch measured. TrainAccuracy counts clean batches only (null when every batch was adversarial);
/// adversarial trainers also report the accuracy on their adversarial batches.
/// </summary>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double? TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double LearningRate,
    double Seconds,
    double ImagesPerSecond)
{
    /// <summary>Accuracy on the adversarial examples made during training (adversarial trainers only).</summary>
    [JsonPropertyName("train_adversarial_accuracy")]
    public double? TrainAdversarialAccuracy { get; init; }

    /// <summary>Share of training batches that were replaced by adversarial examples (adversarial trainers only).</summary>
    public double? PerturbedBatchShare { get; init; }
}

/// <summary>Per-epoch metrics of a training run and the epoch whose weights were kept.</summary>
public sealed class TrainingHistory
{
    public List<EpochMetrics> Epochs { get; init; } = new();

    /// <summary>The epoch (1-based) with the best validation accuracy, whose weights the model holds; 0 if none.</summary>
    public int BestEpoch { get; set; }

    public double? BestValidationAccuracy { get; set; }

    public bool StoppedEarly { get; set; }

    /// <summary>Epochs restored from a checkpoint instead of trained in this process.</summary>
    public int ResumedEpochs { get; set; }
}
