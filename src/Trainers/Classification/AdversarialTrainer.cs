using MlNetRobust.Catalogs;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Classification;
using MlNetRobust.Trainers.Models;
using MlNetRobust.Trainers.Training;
using MlNetRobust.Transforms.Attacks;

namespace MlNetRobust.Trainers.Classification
{
    /// <summary>
    /// Adversarial training (Goodfellow et al. 2015, https://arxiv.org/abs/1412.6572; Madry et al. 2018,
    /// https://arxiv.org/abs/1706.06083): with probability p a training batch is replaced by adversarial
    /// examples crafted on the fly against the current model — FGSM, PGD, or one of them at random when both
    /// are given. The research's settings: p 0.5, FGSM eps 0.01, PGD eps 0.03, step 0.007, 10 steps, random start.
    /// Attacks are crafted in evaluation mode (the attack base class sees to it), so batch-norm statistics
    /// only learn from the batches actually trained on.
    /// Example: <c>ctx.Trainers.Adversarial(new() { Attacks = [AttackOptions.Fgsm(0.01)], Probability = 0.5 })</c>
    /// </summary>
    public sealed class AdversarialTrainer(RobustContext context, AdversarialTrainer.Options options)
        : ImageTrainerBase<AdversarialTrainer.Options>(context, Validate(options))
    {
        public sealed class Options : ImageTrainerOptions
        {
            public static class AttackDefaults
            {
                public const double FgsmEps = 0.01;
                public const double PgdEps = 0.03;
                public const double PgdStep = 0.007;
                public const int PgdSteps = 10;
                public const double Probability = 0.5;
            }

            /// <summary>The attacks to draw from (uniformly) for an adversarial batch.</summary>
            public IReadOnlyList<AttackOptions> Attacks { get; set; } = [AttackOptions.Fgsm(AttackDefaults.FgsmEps)];

            /// <summary>Chance that a batch is replaced by adversarial examples.</summary>
            public double Probability { get; set; } = AttackDefaults.Probability;

            /// <summary>Train on clean and adversarial halves of the loss together instead of replacing the batch.</summary>
            public bool Mix { get; set; }

            internal override string Fingerprint() => $"adv|{base.Fingerprint()}|{string.Join(";", Attacks)}|{Probability}|{Mix}";
        }

        private static Options Validate(Options o)
        {
            if (o.Attacks.Count == 0)
            {
                throw new ArgumentException("adversarial training needs at least one attack");
            }
            if (o.Probability is < 0 or > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(o), o.Probability, "the adversarial batch probability must be in [0, 1]");
            }
            return o;
        }

        protected override ITrainingObjective CreateObjective(TrainingContext context) =>
            new AdversarialObjective(TrainerOptions.Attacks, TrainerOptions.Probability, TrainerOptions.Mix);
    }

    /// <summary>Cross-entropy on adversarial examples made against the network being trained.</summary>
    public sealed class AdversarialObjective(IReadOnlyList<AttackOptions> attacks, double probability, bool mix) : ITrainingObjective
    {
        private readonly CrossEntropyObjective _clean = new();

        public BatchOutcome TrainingStep(ImageNetwork network, Tensor images, Tensor labels, BatchContext context)
        {
            // The batch's fate depends only on (seed, epoch, batch): a resumed run makes the same choices.
            var draw = SeedMixer.Mix(context.Seed, context.Epoch * 1_000_003L + context.Batch, 0xAD7);
            if (SeedMixer.ToUnit(draw) >= probability)
            {
                return _clean.TrainingStep(network, images, labels, context);
            }
            var attack = attacks[(int)(SeedMixer.Mix(draw) % (ulong)attacks.Count)].Create(network);
            using var adversarial = attack.Perturb(images, labels, SeedMixer.Mix(draw, 1, (ulong)context.Epoch), context.RowIds);
            var logits = network.Forward(adversarial);
            var loss = _clean.Loss(logits, labels);
            if (mix)
            {
                using var cleanLogits = network.Forward(images);
                using var cleanLoss = _clean.Loss(cleanLogits, labels);
                loss = loss.add(cleanLoss).mul(0.5);
            }
            return new BatchOutcome(loss, CrossEntropyObjective.Correct(logits, labels), Adversarial: true);
        }

        public (double LossSum, long Correct) Validate(ImageNetwork network, Tensor images, Tensor labels) => _clean.Validate(network, images, labels);
    }
}

namespace MlNetRobust
{
    public static class AdversarialTrainerCatalog
    {
        /// <summary>A ResNet classifier trained on FGSM/PGD examples made on the fly.</summary>
        public static AdversarialTrainer Adversarial(this TrainersCatalog catalog, AdversarialTrainer.Options? options = null) =>
            new(catalog.Context, options ?? new AdversarialTrainer.Options());
    }
}
