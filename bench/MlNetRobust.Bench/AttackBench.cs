using System.Text.Json.Nodes;
using MlNetRobust.Data;

namespace MlNetRobust.Bench;

/// <summary>
/// PGD-10 generation as the evaluation makes attacked test sets: <c>ctx.Transforms.PgdAttack(model)</c> (L∞, eps 8/255,
/// step 2/255, 10 steps, random start; crafted in evaluation mode) over an in-memory view of random 3×32×32 images (8×8 with --quick),
/// read in batches; each batch is timed. The model is an untrained ResNet18 (CIFAR stem): the cost does not depend
/// on the weights.
/// </summary>
public static class AttackBench
{
    public static JsonObject Pgd10(BenchmarkSettings settings)
    {
        var s = settings.Sizes;
        var batches = settings.WarmUp + settings.Steps;
        using var model = BenchData.ResNet18Classifier();
        using var view = BenchData.Images(batches * s.PgdBatch, classes: 10, s.ImageSize);
        var ctx = new RobustContext(seed: 0);
        var attacked = ctx.Transforms.PgdAttack(model, eps: 8 / 255.0, stepSize: 2 / 255.0, steps: s.PgdSteps).Fit(view).Transform(view);
        var seconds = Timing.EachBatch(attacked.GetBatches(s.PgdBatch), b => b.GetTensor(DefaultColumnNames.Features)).Skip(settings.WarmUp).ToList();
        var median = Timing.Median(seconds);
        return new JsonObject
        {
            ["images_per_second"] = Math.Round(s.PgdBatch / median, 2),
            ["batch"] = s.PgdBatch,
            ["image_size"] = s.ImageSize,
            ["median_seconds_per_batch"] = Timing.Round(median),
            ["timed_batches"] = seconds.Count,
            ["attack"] = $"pgd linf eps 8/255 step 2/255, {s.PgdSteps} steps, random start",
            ["model"] = "resnet18 (CIFAR stem)",
        };
    }
}
