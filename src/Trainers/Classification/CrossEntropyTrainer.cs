using MlNetRobust.Catalogs;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Classification;
using MlNetRobust.Trainers.Models;
using MlNetRobust.Trainers.Training;

namespace MlNetRobust.Trainers.Classification
{
    /// <summary>
    /// Trains a ResNet classifier with cross-entropy (optionally class-weighted and label-smoothed). Defaults
    /// follow the research: ResNet18 (CIFAR stem), Adam lr 1e-3, batch 128, 15 epochs, StepLR(10, 0.5),
    /// pad-and-crop + flip augmentation.
    /// Example: <c>ctx.Trainers.CrossEntropy(new() { Epochs = 15, ValidationData = split.Validation })</c>
    /// </summary>
    public sealed class CrossEntropyTrainer(RobustContext context, CrossEntropyTrainer.Options options)
        : ImageTrainerBase<CrossEntropyTrainer.Options>(context, options)
    {
        public sealed class Options : ImageTrainerOptions
        {
            /// <summary>Weight each class's loss by n / (classes × count), as sklearn's "balanced".</summary>
            public bool BalanceClasses { get; set; }

            /// <summary>Label smoothing ε (0 = none).</summary>
            public double LabelSmoothing { get; set; }

            internal override string Fingerprint() => $"ce|{base.Fingerprint()}|{BalanceClasses}|{LabelSmoothing}";
        }

        protected override ITrainingObjective CreateObjective(TrainingContext context) =>
            new CrossEntropyObjective(TrainerOptions.BalanceClasses ? BalancedWeights(context.TrainLabels, context.ClassNames.Count) : null, TrainerOptions.LabelSmoothing);

        internal static float[] BalancedWeights(int[] labels, int classes)
        {
            var counts = new int[classes];
            foreach (var l in labels)
            {
                counts[l]++;
            }
            return counts.Select(c => c == 0 ? 0f : labels.Length / (float)(classes * c)).ToArray();
        }
    }

    /// <summary>Cross-entropy on the classifier's logits.</summary>
    public sealed class CrossEntropyObjective(float[]? classWeights = null, double labelSmoothing = 0) : ITrainingObjective
    {
        public BatchOutcome TrainingStep(ImageNetwork network, Tensor images, Tensor labels, BatchContext context)
        {
            var logits = network.Forward(images);
            return new BatchOutcome(Loss(logits, labels), Correct(logits, labels));
        }

        public (double LossSum, long Correct) Validate(ImageNetwork network, Tensor images, Tensor labels)
        {
            using var logits = network.Forward(images);
            using var loss = torch.nn.functional.cross_entropy(logits, labels, reduction: Reduction.Sum);
            return (loss.item<float>(), Correct(logits, labels));
        }

        internal Tensor Loss(Tensor logits, Tensor labels)
        {
            using var weight = classWeights is null ? null : torch.tensor(classWeights);
            return torch.nn.functional.cross_entropy(logits, labels, weight, labelSmoothing: labelSmoothing);
        }

        internal static long Correct(Tensor logits, Tensor labels)
        {
            using var predicted = logits.argmax(1);
            using var right = predicted.eq(labels);
            using var sum = right.sum();
            return sum.item<long>();
        }
    }
}

namespace MlNetRobust
{
    public static class CrossEntropyTrainerCatalog
    {
        /// <summary>A ResNet classifier trained with cross-entropy (research defaults).</summary>
        public static CrossEntropyTrainer CrossEntropy(this TrainersCatalog catalog, CrossEntropyTrainer.Options? options = null) =>
            new(catalog.Context, options ?? new CrossEntropyTrainer.Options());
    }
}
