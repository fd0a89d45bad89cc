using MlNetRobust.Torch;
using MlNetRobust.Trainers.Models;

namespace MlNetRobust.Trainers.Training;

/// <summary>Where a batch is in the run; objectives derive their randomness from it (reproducible on resume).</summary>
public sealed record BatchContext(int Epoch, int Batch, long[] RowIds, ulong Seed);

/// <summary>
/// One training batch's result: the loss (with its graph, for backward) and how many predictions were
/// right. <c>Adversarial</c> marks a batch trained on adversarial examples: its accuracy is reported as the
/// epoch's adversarial training accuracy, apart from the clean one.
/// </summary>
public readonly record struct BatchOutcome(Tensor Loss, long Correct, bool Adversarial = false);

/// <summary>
/// What a trainer optimises: the training loop handles data order, augmentation, optimiser, scheduler,
/// validation, checkpoints and progress; an objective only computes a batch's loss. This keeps
/// cross-entropy, adversarial and metric-learning training on one tested loop.
/// </summary>
public interface ITrainingObjective
{
    /// <summary>Loss of a training batch (network in training mode; images in [0, 1]).</summary>
    BatchOutcome TrainingStep(ImageNetwork network, Tensor images, Tensor labels, BatchContext context);

    /// <summary>Loss sum and correct count on a validation batch (network in eval mode, no grad).</summary>
    (double LossSum, long Correct) Validate(ImageNetwork network, Tensor images, Tensor labels);
}
