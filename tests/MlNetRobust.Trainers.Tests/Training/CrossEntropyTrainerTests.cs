using MlNetRobust.Data;
using MlNetRobust.Persistence;
using MlNetRobust.Trainers.Classification;
using MlNetRobust.Trainers.Training;

namespace MlNetRobust.Trainers.Tests.Training;

public sealed class CrossEntropyTrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlnr-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A narrow ResNet18 (width 8) that trains on 8×8 images in seconds.</summary>
    internal static CrossEntropyTrainer.Options Tiny(int epochs = 4, int seed = 3) => new()
    {
        Width = 8,
        Epochs = epochs,
        BatchSize = 32,
        LearningRate = 3e-3,
        StepSize = 3,
        Seed = seed,
        Augment = false,
    };

    private static double Accuracy(ImageModelTransformer model, IDataView data)
    {
        using var batch = model.Transform(data).GetRows(Enumerable.Range(0, (int)data.RowCount).Select(i => (long)i).ToArray());
        var truth = batch.GetKeys(DefaultColumnNames.Label);
        var predicted = batch.GetKeys(DefaultColumnNames.PredictedLabel);
        return truth.Zip(predicted).Count(p => p.First == p.Second) / (double)truth.Length;
    }

    [Fact]
    public void Cross_entropy_training_learns_a_separable_set_far_above_chance()
    {
        using var train = SyntheticImages.Create(perClass: 40, seed: 1);
        using var test = SyntheticImages.Create(perClass: 25, seed: 2);
        var ctx = new RobustContext(seed: 5);
        var options = Tiny(epochs: 8);
        options.StepSize = 6;
        options.ValidationData = test;
        using var model = ctx.Trainers.CrossEntropy(options).Fit(train);

        var history = model.History.Epochs;
        Assert.Equal(8, history.Count);
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss, $"loss should fall: {string.Join(", ", history.Select(h => h.TrainLoss))}");
        Assert.True(Accuracy(model, test) > 0.9, $"test accuracy {Accuracy(model, test)} (chance is 0.25)");
        Assert.InRange(model.History.BestEpoch, 1, 8);
        Assert.Equal(model.History.BestValidationAccuracy, history[model.History.BestEpoch - 1].ValidationAccuracy);
    }

    [Fact]
    public void Interrupted_training_resumes_from_its_checkpoint_bit_for_bit()
    {
        using var train = SyntheticImages.Create(perClass: 16, seed: 1);
        var ctx = new RobustContext(seed: 5);

        var straight = Tiny(epochs: 3);
        straight.Augment = true;
        straight.CheckpointFolder = Path.Combine(_dir, "straight");
        using var uninterrupted = ctx.Trainers.CrossEntropy(straight).Fit(train);

        var resumed = Tiny(epochs: 3);
        resumed.Augment = true;
        resumed.CheckpointFolder = Path.Combine(_dir, "resumed");
        resumed.Progress = new StopAfterEpoch(2);
        Assert.Throws<OperationCanceledException>(() => ctx.Trainers.CrossEntropy(resumed).Fit(train));
        Assert.True(File.Exists(Path.Combine(resumed.CheckpointFolder, "checkpoint.zip")));

        resumed.Progress = null;
        using var continued = ctx.Trainers.CrossEntropy(resumed).Fit(train);
        Assert.Equal(2, continued.History.ResumedEpochs);
        Assert.Equal(3, continued.History.Epochs.Count);
        foreach (var (name, tensor) in uninterrupted.Network.Net.state_dict())
        {
            Assert.True(tensor.equal(continued.Network.Net.state_dict()[name]), $"'{name}' differs after resume");
        }
        Assert.Equal(uninterrupted.History.Epochs.Select(e => e.TrainLoss), continued.History.Epochs.Select(e => e.TrainLoss));
    }

    private sealed class StopAfterEpoch(int epoch) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Phase == TrainingPhase.EpochEnd && value.Epoch == epoch)
            {
                throw new OperationCanceledException($"stopped after epoch {epoch}");
            }
        }
    }

    [Fact]
    public void A_checkpoint_from_other_options_is_not_resumed()
    {
        using var train = SyntheticImages.Create(perClass: 8, seed: 1);
        var ctx = new RobustContext(seed: 5);
        var first = Tiny(epochs: 1);
        first.CheckpointFolder = _dir;
        ctx.Trainers.CrossEntropy(first).Fit(train).Dispose();
        var other = Tiny(epochs: 1);
        other.LearningRate = 0.5;
        other.CheckpointFolder = _dir;
        var e = Assert.Throws<InvalidOperationException>(() => ctx.Trainers.CrossEntropy(other).Fit(train));
        Assert.Contains("was written by a run with other options", e.Message);
    }

    [Fact]
    public void A_finished_shorter_run_is_extended_to_more_epochs_exactly()
    {
        using var train = SyntheticImages.Create(perClass: 16, seed: 1);
        var ctx = new RobustContext(seed: 5);
        var straight = Tiny(epochs: 3);
        straight.StepSize = 2; // the learning rate changes within the extension
        straight.CheckpointFolder = Path.Combine(_dir, "straight");
        using var uninterrupted = ctx.Trainers.CrossEntropy(straight).Fit(train);

        var shortRun = Tiny(epochs: 1);
        shortRun.StepSize = 2;
        shortRun.CheckpointFolder = Path.Combine(_dir, "extended");
        ctx.Trainers.CrossEntropy(shortRun).Fit(train).Dispose();
        var longer = Tiny(epochs: 3);
        longer.StepSize = 2;
        longer.CheckpointFolder = shortRun.CheckpointFolder;
        using var extended = ctx.Trainers.CrossEntropy(longer).Fit(train);

        Assert.Equal(1, extended.History.ResumedEpochs);
        Assert.Equal(uninterrupted.History.Epochs.Select(e => e.TrainLoss), extended.History.Epochs.Select(e => e.TrainLoss));
        foreach (var (name, tensor) in uninterrupted.Network.Net.state_dict())
        {
            Assert.True(tensor.equal(extended.Network.Net.state_dict()[name]), $"'{name}' differs after extending");
        }
    }

    [Fact]
    public void A_shorter_run_is_not_extended_when_the_schedule_depends_on_the_epoch_count()
    {
        using var train = SyntheticImages.Create(perClass: 8, seed: 1);
        var ctx = new RobustContext(seed: 5);
        var shortRun = Tiny(epochs: 1);
        shortRun.Scheduler = SchedulerKind.Cosine;
        shortRun.CheckpointFolder = _dir;
        ctx.Trainers.CrossEntropy(shortRun).Fit(train).Dispose();
        var longer = Tiny(epochs: 2);
        longer.Scheduler = SchedulerKind.Cosine;
        longer.CheckpointFolder = _dir;
        var e = Assert.Throws<InvalidOperationException>(() => ctx.Trainers.CrossEntropy(longer).Fit(train));
        Assert.Contains("was written by a run with other options", e.Message);
    }

    [Fact]
    public void A_nan_loss_stops_training_with_a_clear_error()
    {
        using var good = SyntheticImages.Create(perClass: 8, seed: 1);
        using var batch = good.GetRows(Enumerable.Range(0, 32).Select(i => (long)i).ToArray());
        var images = batch.GetTensor(DefaultColumnNames.Features).clone();
        images.fill_(double.NaN);
        using var bad = new InMemoryDataView(good.Schema, new Dictionary<string, object>
        {
            [DefaultColumnNames.Label] = batch.GetKeys(DefaultColumnNames.Label),
            [DefaultColumnNames.Features] = images,
        });
        var e = Assert.Throws<TrainingDivergedException>(() => new RobustContext(seed: 1).Trainers.CrossEntropy(Tiny(epochs: 1)).Fit(bad));
        Assert.Contains("loss is NaN at epoch 1, batch 1", e.Message);
        Assert.Contains("no checkpoint was written yet", e.Message);
    }

    [Fact]
    public void Early_stopping_ends_training_when_validation_stops_improving()
    {
        // Validated on its own 32 training images, the model soon reaches 100%, which no later epoch can beat.
        using var train = SyntheticImages.Create(perClass: 8, seed: 1);
        var options = Tiny(epochs: 40);
        options.ValidationData = train;
        options.EarlyStoppingPatience = 2;
        using var model = new RobustContext(seed: 1).Trainers.CrossEntropy(options).Fit(train);
        var accuracies = model.History.Epochs.Select(e => e.ValidationAccuracy!.Value).ToList();
        Assert.True(model.History.StoppedEarly, $"validation accuracies: {string.Join(", ", accuracies)}");
        // It stops exactly `patience` epochs after the best one.
        Assert.Equal(model.History.BestEpoch + 2, accuracies.Count);
        Assert.All(accuracies.Skip(model.History.BestEpoch), a => Assert.True(a <= model.History.BestValidationAccuracy));
    }

    [Fact]
    public void Trained_model_saves_to_a_zip_and_reloads_with_identical_scores()
    {
        using var train = SyntheticImages.Create(perClass: 8, seed: 1);
        var ctx = new RobustContext(seed: 1);
        using var model = ctx.Trainers.CrossEntropy(Tiny(epochs: 1)).Fit(train);
        var path = Path.Combine(_dir, "model.zip");
        ctx.Model.Save(model, train.Schema, path);
        using var loaded = ctx.Model.Load(path);
        var rows = Enumerable.Range(0, 10).Select(i => (long)i).ToArray();
        using var a = model.Transform(train).GetRows(rows);
        using var b = loaded.Transform(train).GetRows(rows);
        Assert.True(a.GetTensor(DefaultColumnNames.Score).equal(b.GetTensor(DefaultColumnNames.Score)));
        Assert.Equal(a.GetKeys(DefaultColumnNames.PredictedLabel), b.GetKeys(DefaultColumnNames.PredictedLabel));
        Assert.Equal(SyntheticImages.Classes, ModelZip.ReadManifest(path).Classes);
        var reloaded = Assert.IsType<ImageModelTransformer>(loaded.LastTransformer);
        Assert.Equal(model.History.Epochs.Count, reloaded.History.Epochs.Count);
    }

    [Fact]
    public void Missing_or_mistyped_columns_fail_before_training_with_the_column_named()
    {
        using var train = SyntheticImages.Create(perClass: 2, seed: 1);
        var options = Tiny();
        options.FeatureColumn = "Pixels";
        var e = Assert.Throws<SchemaException>(() => new RobustContext(seed: 1).Trainers.CrossEntropy(options).Fit(train));
        Assert.Contains("'Pixels' not found", e.Message);
        Assert.Contains("ExtractPixels", e.Message);
    }
}
