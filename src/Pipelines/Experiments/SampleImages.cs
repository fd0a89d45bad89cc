using MlNetRobust.Data;
using MlNetRobust.Pipelines.Scenarios;
using MlNetRobust.Reporting.Images;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Classification;

namespace MlNetRobust.Pipelines.Experiments;

/// <summary>
/// One test image per class, clean and as the model sees it perturbed, under FGSM and under PGD, with each
/// change amplified ×10 beside it — written per scenario as samples.png for the report.
/// </summary>
public static class SampleImages
{
    public static byte[] Render(RobustContext ctx, ImageModelTransformer model, ExperimentData data, ExperimentOptions options)
    {
        var seed = options.Training.Seed;
        var rows = ctx.Data.TakeStratified(data.Test, 1, seed + 5);
        var variants = new List<ImageVariant>
        {
            Read("clean", rows),
            Read("perturbed", ScenarioCatalog.TestPerturbation(ctx, seed).Fit(rows).Transform(rows)),
            Read($"FGSM {ScenarioEvaluator.EpsName(options.FgsmEps[0])}", ctx.Transforms.FgsmAttack(model, options.FgsmEps[0], seed: seed).Fit(rows).Transform(rows)),
            Read($"PGD-{options.PgdSteps} {ScenarioEvaluator.EpsName(options.PgdEps)}",
                ctx.Transforms.PgdAttack(model, options.PgdEps, steps: options.PgdSteps, seed: seed).Fit(rows).Transform(rows)),
        };
        return new SampleGrid { Variants = variants, Scale = 3 }.ToPng();
    }

    private static ImageVariant Read(string name, IDataView view)
    {
        using var batch = view.GetRows(Enumerable.Range(0, (int)view.RowCount).Select(i => (long)i).ToArray());
        var images = batch.GetTensor(DefaultColumnNames.Features);
        var shape = images.shape;
        return new ImageVariant(name, new ImageBatch(images.to(ScalarType.Float32).data<float>(), (int)shape[0], (int)shape[1], (int)shape[2], (int)shape[3]));
    }
}
