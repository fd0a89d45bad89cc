using MlNetRobust.Data;
using MlNetRobust.Pipelines.Scenarios;
using MlNetRobust.Trainers.Classification;

namespace MlNetRobust.Pipelines.Experiments;

/// <summary>
/// UMAP maps of a model's embeddings, as the research draws them: fitted on (a stratified sample of) the
/// training embeddings, with the clean and the perturbed test images projected into the same map.
/// Written per scenario as umap.json (x, y and label per point) for the report.
/// </summary>
public static class EmbeddingMaps
{
    public sealed record Map(string Title, float[] Xy, int[] Labels);

    public static IReadOnlyList<Map> Compute(RobustContext ctx, ImageModelTransformer model, ExperimentData data, int perClass, int seed)
    {
        var train = ctx.Data.TakeStratified(data.Train, perClass, seed);
        var test = ctx.Data.TakeStratified(data.Test, Math.Max(1, perClass / 2), seed + 1);
        var perturbed = ScenarioCatalog.TestPerturbation(ctx, seed).Fit(test).Transform(test);
        using var umap = ctx.Transforms.ProjectToUmap(seed: seed).Fit(model.Transform(train));
        return [Read("train", umap.Transform(model.Transform(train))), Read("test", umap.Transform(model.Transform(test))),
            Read("perturbed test", umap.Transform(model.Transform(perturbed)))];
    }

    private static Map Read(string title, IDataView mapped)
    {
        var xy = new List<float>();
        var labels = new List<int>();
        foreach (var batch in mapped.GetBatches(512))
        {
            using (batch)
            {
                xy.AddRange(batch.GetTensor("Umap").data<float>());
                labels.AddRange(batch.GetKeys(DefaultColumnNames.Label));
            }
        }
        return new Map(title, xy.ToArray(), labels.ToArray());
    }
}
