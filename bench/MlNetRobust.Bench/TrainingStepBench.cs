using System.Diagnostics;
using System.Text.Json.Nodes;
using MlNetRobust.Estimators;
using MlNetRobust.Trainers.Classification;
using MlNetRobust.Trainers.Training;
using MlNetRobust.Transforms.Attacks;

namespace MlNetRobust.Bench;

/// <summary>
/// Training-step throughput through the real trainers: <c>ctx.Trainers.CrossEntropy</c>, <c>Adversarial</c> (FGSM,
/// eps 8/255, p = 1: every batch is crafted against the current model, then trained on) and <c>AngularEmbedding</c>
/// (128-d embedding head, Angular loss α 45°, m-per-class batches) fit one epoch of ResNet18 (CIFAR stem, Adam lr 1e-3)
/// on random 3×32×32 images (8×8 with --quick) held in memory. A step is everything <c>TrainingLoop</c> does per batch — fetch the rows,
/// the objective's forward (and attack), loss, backward, Adam — timed between its per-batch progress events; the
/// first <see cref="BenchmarkSettings.WarmUp"/> steps are not timed. Augmentation is off (the PyTorch side has none).
/// </summary>
public static class TrainingStepBench
{
    public static JsonObject CrossEntropy(BenchmarkSettings settings)
    {
        var batch = settings.Sizes.TrainBatch;
        return Run(settings, batch, 10, (ctx, options) => ctx.Trainers.CrossEntropy(Configure(new CrossEntropyTrainer.Options(), options, batch)));
    }

    public static JsonObject FgsmAdversarial(BenchmarkSettings settings)
    {
        var batch = settings.Sizes.TrainBatch;
        return Run(settings, batch, 10, (ctx, options) => ctx.Trainers.Adversarial(Configure(new AdversarialTrainer.Options
        {
            Attacks = [AttackOptions.Fgsm(8 / 255.0)],
            Probability = 1,
        }, options, batch)), ("attack", "fgsm eps 8/255, p = 1"));
    }

    public static JsonObject Angular(BenchmarkSettings settings)
    {
        var s = settings.Sizes;
        var batch = s.AngularClasses * s.AngularPerClass;
        return Run(settings, batch, s.AngularClasses, (ctx, options) => ctx.Trainers.AngularEmbedding(Configure(new Trainers.Embedding.AngularEmbeddingTrainer.Options
        {
            EmbeddingDim = s.EmbeddingDim,
            MPerClass = s.AngularPerClass,
        }, options, batch)), ("loss", "angular alpha 45"), ("embedding_dim", s.EmbeddingDim), ("classes_per_batch", s.AngularClasses),
            ("per_class", s.AngularPerClass));
    }

    private static T Configure<T>(T options, IProgress<TrainingProgress> progress, int batch) where T : ImageTrainerOptions
    {
        options.Epochs = 1;
        options.BatchSize = batch;
        options.Augment = false;
        options.Seed = 0;
        options.Mean = BenchData.Mean;
        options.Std = BenchData.Std;
        options.Progress = progress;
        return options;
    }

    private static JsonObject Run<TTrainer>(BenchmarkSettings settings, int batch, int classes,
        Func<RobustContext, IProgress<TrainingProgress>, TTrainer> trainer, params (string Key, JsonNode? Value)[] details)
        where TTrainer : IEstimator<ImageModelTransformer>
    {
        var batches = settings.WarmUp + settings.Steps;
        var rows = batches * batch;
        using var view = BenchData.Images(rows, classes, settings.Sizes.ImageSize);
        var stamps = new List<double>();
        var clock = Stopwatch.StartNew();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Phase == TrainingPhase.Train)
            {
                stamps.Add(clock.Elapsed.TotalSeconds);
            }
        });
        using (trainer(new RobustContext(seed: 0), progress).Fit(view))
        {
        }
        // stamps[i] marks the end of step i + 1, so the differences from stamps[WarmUp - 1] on are the timed steps.
        var steps = stamps.Zip(stamps.Skip(1), (a, b) => b - a).Skip(settings.WarmUp - 1).ToList();
        var median = Timing.Median(steps);
        var result = new JsonObject
        {
            ["images_per_second"] = Math.Round(batch / median, 2),
            ["batch"] = batch,
            ["image_size"] = settings.Sizes.ImageSize,
            ["median_seconds_per_step"] = Timing.Round(median),
            ["timed_steps"] = steps.Count,
            ["model"] = "resnet18 (CIFAR stem), Adam lr 1e-3",
        };
        foreach (var (key, value) in details)
        {
            result[key] = value;
        }
        return result;
    }

    /// <summary>Calls back on the training thread (Progress&lt;T&gt; would post to a thread pool).</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
