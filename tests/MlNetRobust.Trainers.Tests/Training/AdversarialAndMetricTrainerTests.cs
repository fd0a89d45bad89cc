using MlNetRobust.Data;
using MlNetRobust.Trainers.Classification;
using MlNetRobust.Trainers.Embedding;
using MlNetRobust.Trainers.Losses;
using MlNetRobust.Trainers.Training;
using MlNetRobust.Transforms.Attacks;

namespace MlNetRobust.Trainers.Tests.Training;

public sealed class AdversarialAndMetricTrainerTests
{
    private static double Accuracy(IDataView scored)
    {
        using var batch = scored.GetRows(Enumerable.Range(0, (int)scored.RowCount).Select(i => (long)i).ToArray());
        var truth = batch.GetKeys(DefaultColumnNames.Label);
        var predicted = batch.GetKeys(DefaultColumnNames.PredictedLabel);
        return truth.Zip(predicted).Count(p => p.First == p.Second) / (double)truth.Length;
    }

    private static double FgsmAccuracy(RobustContext ctx, ImageModelTransformer model, IDataView test, double eps) =>
        Accuracy(model.Transform(ctx.Transforms.FgsmAttack(model, eps, seed: 1).Fit(test).Transform(test)));

    [Fact]
    public void Adversarial_training_raises_fgsm_accuracy_over_plain_training()
    {
        using var train = SyntheticImages.Create(perClass: 40, seed: 1);
        using var test = SyntheticImages.Create(perClass: 25, seed: 2);
        const double eps = 0.08;
        var ctx = new RobustContext(seed: 5);

        var plainOptions = CrossEntropyTrainerTests.Tiny(epochs: 8);
        using var plain = ctx.Trainers.CrossEntropy(plainOptions).Fit(train);

        var adversarialOptions = new AdversarialTrainer.Options
        {
            Width = 8,
            Epochs = 8,
            BatchSize = 32,
            LearningRate = 3e-3,
            StepSize = 6,
            Seed = 3,
            Augment = false,
            Attacks = [AttackOptions.Fgsm(eps), AttackOptions.Pgd(eps, eps / 4, steps: 3)],
            Probability = 0.8,
        };
        using var robust = ctx.Trainers.Adversarial(adversarialOptions).Fit(train);

        var plainFgsm = FgsmAccuracy(ctx, plain, test, eps);
        var robustFgsm = FgsmAccuracy(ctx, robust, test, eps);
        Assert.True(robustFgsm > plainFgsm + 0.15, $"FGSM accuracy: plain {plainFgsm:P1}, adversarially trained {robustFgsm:P1}");
        Assert.True(Accuracy(robust.Transform(test)) > 0.6, $"clean accuracy of the robust model {Accuracy(robust.Transform(test)):P1}");
        Assert.All(robust.History.Epochs, e => Assert.NotNull(e.TrainAdversarialAccuracy));
        // 40 batches in all at p = 0.8: the share of adversarial batches is close to 0.8.
        Assert.InRange(robust.History.Epochs.Average(e => e.PerturbedBatchShare!.Value), 0.6, 0.95);
    }

    [Fact]
    public void With_every_batch_adversarial_the_clean_train_accuracy_is_absent_not_zero()
    {
        using var train = SyntheticImages.Create(perClass: 16, seed: 1);
        var ctx = new RobustContext(seed: 5);
        var options = new AdversarialTrainer.Options
        {
            Width = 4,
            Epochs = 2,
            BatchSize = 32,
            Seed = 3,
            Augment = false,
            Attacks = [AttackOptions.Fgsm(0.05)],
            Probability = 1,
        };
        using var robust = ctx.Trainers.Adversarial(options).Fit(train);
        Assert.All(robust.History.Epochs, e =>
        {
            Assert.Null(e.TrainAccuracy);
            Assert.Equal(1.0, e.PerturbedBatchShare);
            Assert.NotNull(e.TrainAdversarialAccuracy);
        });
    }

    [Theory]
    [InlineData("angular")]
    [InlineData("circle")]
    public void Metric_learning_gives_embeddings_a_knn_head_classifies_well(string lossName)
    {
        using var train = SyntheticImages.Create(perClass: 40, seed: 1);
        using var test = SyntheticImages.Create(perClass: 25, seed: 2);
        var ctx = new RobustContext(seed: 5);
        var options = new AngularEmbeddingTrainer.Options
        {
            Width = 8,
            Epochs = 6,
            LearningRate = 3e-3,
            StepSize = 5,
            Seed = 3,
            Augment = false,
            EmbeddingDim = 16,
            MPerClass = 8,
            Loss = lossName == "angular" ? new AngularLoss(45) : new CircleLoss(0.25, 64),
        };
        using var embedder = ctx.Trainers.AngularEmbedding(options).Fit(train);
        Assert.False(embedder.HasClassifier);
        var knn = ctx.Trainers.Knn(k: 3).Fit(embedder.Transform(train));
        var accuracy = Accuracy(knn.Transform(embedder.Transform(test)));
        Assert.True(accuracy > 0.9, $"{lossName}: KNN accuracy on embeddings {accuracy:P1}");
        var losses = embedder.History.Epochs.Select(e => e.TrainLoss).ToList();
        Assert.True(losses[^1] < losses[0], $"{lossName} loss should fall: {string.Join(", ", losses)}");
    }

    [Fact]
    public void A_metric_checkpoint_made_with_other_loss_settings_is_not_resumed()
    {
        using var train = SyntheticImages.Create(perClass: 8, seed: 1);
        var ctx = new RobustContext(seed: 5);
        var folder = Path.Combine(Path.GetTempPath(), "mlnr-metric-ckpt-" + Guid.NewGuid().ToString("N"));
        try
        {
            AngularEmbeddingTrainer.Options Options(double m) => new()
            {
                Width = 4,
                Epochs = 1,
                Seed = 3,
                Augment = false,
                EmbeddingDim = 8,
                MPerClass = 4,
                Loss = new CircleLoss(m, 64),
                CheckpointFolder = folder,
            };
            ctx.Trainers.AngularEmbedding(Options(0.1)).Fit(train).Dispose();
            var e = Assert.Throws<InvalidOperationException>(() => ctx.Trainers.AngularEmbedding(Options(0.4)).Fit(train));
            Assert.Contains("was written by a run with other options", e.Message);
            Assert.Contains("circle(m=0.1, gamma=64, reducer=", e.Message);
            Assert.Contains("circle(m=0.4, gamma=64, reducer=", e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Metric_validation_mixes_the_classes_even_when_the_validation_data_is_sorted_by_class()
    {
        // Pure noise, labels sorted by class, validation batches of 16 = one class each if read in order: a
        // leave-one-out 1-NN inside such batches would score 100% on images that carry no class signal at all.
        using var train = SyntheticImages.Create(perClass: 8, seed: 1);
        const int perClass = 16;
        var labels = Enumerable.Range(0, 4 * perClass).Select(i => i / perClass).ToArray();
        using var gen = new Torch.Generator(7);
        using var noise = Torch.torch.rand([4 * perClass, 3, 8, 8], gen);
        using var validation = new InMemoryDataView(new DataViewSchema([
            (DefaultColumnNames.Label, new KeyType(SyntheticImages.Classes)),
            (DefaultColumnNames.Features, new TensorType(Torch.ScalarType.Float32, [3, 8, 8])),
        ]), new Dictionary<string, object> { [DefaultColumnNames.Label] = labels, [DefaultColumnNames.Features] = noise.clone() });
        var ctx = new RobustContext(seed: 5);
        var options = new AngularEmbeddingTrainer.Options
        {
            Width = 4,
            Epochs = 1,
            BatchSize = perClass,
            Seed = 3,
            Augment = false,
            EmbeddingDim = 8,
            MPerClass = 4,
            ValidationData = validation,
        };
        using var model = ctx.Trainers.AngularEmbedding(options).Fit(train);
        var accuracy = model.History.Epochs[0].ValidationAccuracy!.Value;
        Assert.True(accuracy < 0.6, $"leave-one-out accuracy on class-free noise should be near chance (25%), got {accuracy:P1}");
    }

    [Fact]
    public void Progress_counts_the_batches_the_sampler_really_makes_and_validation_names_its_epoch()
    {
        // 4 classes × 10 rows with m = 2: batches of 8, 5 per epoch — not ceil(40 / BatchSize 128) = 1.
        using var train = SyntheticImages.Create(perClass: 10, seed: 1);
        using var validation = SyntheticImages.Create(perClass: 4, seed: 2);
        var events = new List<TrainingProgress>();
        var options = new AngularEmbeddingTrainer.Options
        {
            Width = 4,
            Epochs = 2,
            Seed = 3,
            Augment = false,
            EmbeddingDim = 8,
            MPerClass = 2,
            ValidationData = validation,
            Progress = new SynchronousProgress(events.Add),
        };
        using var model = new RobustContext(seed: 5).Trainers.AngularEmbedding(options).Fit(train);
        var training = events.Where(e => e.Phase == TrainingPhase.Train).ToList();
        Assert.Equal([1, 2, 3, 4, 5, 1, 2, 3, 4, 5], training.Select(e => e.Batch));
        Assert.All(training, e => Assert.Equal(5, e.Batches));
        Assert.Equal(TimeSpan.Zero, training[^1].EstimatedRemaining);
        Assert.Equal([1, 2], events.Where(e => e.Phase == TrainingPhase.Validate).Select(e => e.Epoch).Distinct());
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
