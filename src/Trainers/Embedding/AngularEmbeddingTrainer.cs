using MlNetRobust.Catalogs;
using MlNetRobust.Models;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Embedding;
using MlNetRobust.Trainers.Losses;
using MlNetRobust.Trainers.Models;
using MlNetRobust.Trainers.Training;
using MlNetRobust.Transforms.Sampling;

namespace MlNetRobust.Trainers.Embedding
{
    /// <summary>
    /// Metric learning on L2-normalised embeddings (ResNet backbone → Linear 512 → 128 → normalise) with an
    /// angular loss — Angular (Wang et al. 2017) or Circle (Sun et al. 2020), or any <see cref="IMetricLoss"/> —
    /// on class-balanced batches (m images of each class per batch, pytorch-metric-learning's MPerClassSampler;
    /// the research used 26 per class × 10 classes = 260). The model has no classifier head: classify with a
    /// KNN head on its Embedding column (<c>ctx.Trainers.Knn()</c>). Train and validation accuracy are
    /// leave-one-out 1-nearest-neighbour accuracy within each batch, a cheap stand-in for the KNN head.
    /// Example: <c>ctx.Trainers.AngularEmbedding(new() { Loss = new CircleLoss(0.25, 256) })</c>
    /// </summary>
    public sealed class AngularEmbeddingTrainer(RobustContext context, AngularEmbeddingTrainer.Options options)
        : ImageTrainerBase<AngularEmbeddingTrainer.Options>(context, options)
    {
        public sealed class Options : ImageTrainerOptions
        {
            public static class EmbeddingDefaults
            {
                public const int EmbeddingDim = 128;
                public const int MPerClass = 26;
                public const double AlphaDegrees = 45;
            }

            public IMetricLoss Loss { get; set; } = new AngularLoss(EmbeddingDefaults.AlphaDegrees);

            public int EmbeddingDim { get; set; } = EmbeddingDefaults.EmbeddingDim;

            /// <summary>Images of each class per batch; the batch size becomes m × classes.</summary>
            public int MPerClass { get; set; } = EmbeddingDefaults.MPerClass;

            internal override string Fingerprint() => $"metric|{base.Fingerprint()}|{Loss}|{EmbeddingDim}|{MPerClass}";
        }

        protected override bool HasClassifier => false;

        protected override int? EmbeddingDim => TrainerOptions.EmbeddingDim;

        protected override ImageModelOutput Output => ImageModelOutput.Embedding;

        protected override ITrainingObjective CreateObjective(TrainingContext context) => new MetricObjective(TrainerOptions.Loss);

        protected override IBatchSampler? CreateSampler(TrainingContext context) =>
            new MPerClassSampler(ClassIndex.FromLabels(context.TrainLabels, context.ClassNames), TrainerOptions.MPerClass,
                TrainerOptions.MPerClass * context.ClassNames.Count, samplesPerEpoch: null, SeedMixer.Mix(context.Seed, 0, 0x5A4));
    }

    /// <summary>A metric loss on the embedding; accuracy is leave-one-out 1-NN within the batch.</summary>
    public sealed class MetricObjective(IMetricLoss loss) : ITrainingObjective
    {
        public BatchOutcome TrainingStep(ImageNetwork network, Tensor images, Tensor labels, BatchContext context)
        {
            var embeddings = network.Forward(images);
            return new BatchOutcome(loss.Compute(embeddings, labels), LeaveOneOutCorrect(embeddings, labels));
        }

        public (double LossSum, long Correct) Validate(ImageNetwork network, Tensor images, Tensor labels)
        {
            using var embeddings = network.Forward(images);
            using var value = loss.Compute(embeddings, labels);
            return (value.item<float>() * labels.size(0), LeaveOneOutCorrect(embeddings, labels));
        }

        /// <summary>How many rows have a nearest neighbour (by cosine, excluding themselves) of their own class.</summary>
        internal static long LeaveOneOutCorrect(Tensor embeddings, Tensor labels)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var n = embeddings.size(0);
            if (n < 2)
            {
                return 0;
            }
            var similarity = embeddings.detach().matmul(embeddings.detach().t());
            var self = torch.eye(n).to(ScalarType.Bool);
            var nearest = similarity.masked_fill(self, double.NegativeInfinity).argmax(1);
            return labels.index_select(0, nearest).eq(labels).sum().item<long>();
        }
    }
}

namespace MlNetRobust
{
    public static class AngularEmbeddingTrainerCatalog
    {
        /// <summary>A ResNet embedding trained with an angular metric loss on class-balanced batches.</summary>
        public static AngularEmbeddingTrainer AngularEmbedding(this TrainersCatalog catalog, AngularEmbeddingTrainer.Options? options = null) =>
            new(catalog.Context, options ?? new AngularEmbeddingTrainer.Options());
    }
}
