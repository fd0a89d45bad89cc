using System.Text.Json.Nodes;
using MlNetRobust.Data;

namespace MlNetRobust.Bench;

/// <summary>
/// Inference as a trained model's pipeline step runs it: <see cref="Trainers.Classification.ImageModelTransformer"/>
/// over an in-memory view of random 3×32×32 images (8×8 with --quick) (evaluation mode, no gradients), adding Embedding, Score (softmax)
/// and PredictedLabel per batch; each batch is timed.
/// </summary>
public static class InferenceBench
{
    public static JsonObject Run(BenchmarkSettings settings)
    {
        var batch = settings.Sizes.InferenceBatch;
        using var model = BenchData.ResNet18Classifier();
        using var view = BenchData.Images((settings.WarmUp + settings.Steps) * batch, classes: 10, settings.Sizes.ImageSize);
        var seconds = Timing.EachBatch(model.Transform(view).GetBatches(batch), b => b.GetKeys(DefaultColumnNames.PredictedLabel))
            .Skip(settings.WarmUp).ToList();
        var median = Timing.Median(seconds);
        return new JsonObject
        {
            ["images_per_second"] = Math.Round(batch / median, 2),
            ["batch"] = batch,
            ["image_size"] = settings.Sizes.ImageSize,
            ["median_seconds_per_batch"] = Timing.Round(median),
            ["timed_batches"] = seconds.Count,
            ["model"] = "resnet18 (CIFAR stem), eval mode",
        };
    }
}
