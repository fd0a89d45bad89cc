using MlNetRobust.Catalogs;
using MlNetRobust.Transforms.Umap;

namespace MlNetRobust;

/// <summary><c>ctx.Transforms.ProjectToUmap(…)</c>: the UMAP projection of an embedding column.</summary>
public static class UmapCatalogExtensions
{
    /// <summary>
    /// A 2-D UMAP map of <paramref name="inputColumn"/> (float embeddings [D]), learnt on the data given to Fit
    /// and applied to any later data; adds <paramref name="outputColumn"/> (float32 [2]). Parameters and
    /// defaults are umap-learn's; <paramref name="seed"/> null draws one from the context.
    /// </summary>
    public static ProjectToUmapEstimator ProjectToUmap(this TransformsCatalog catalog,
        string inputColumn = ProjectToUmapEstimator.Defaults.InputColumn,
        string outputColumn = ProjectToUmapEstimator.Defaults.OutputColumn,
        int nNeighbors = UmapOptions.Defaults.NNeighbors,
        double minDist = UmapOptions.Defaults.MinDist,
        double spread = UmapOptions.Defaults.Spread,
        UmapMetric metric = UmapOptions.Defaults.Metric,
        int? epochs = null,
        int? seed = null,
        int negativeSampleRate = UmapOptions.Defaults.NegativeSampleRate,
        double learningRate = UmapOptions.Defaults.LearningRate,
        int? transformEpochs = null)
    {
        var options = new UmapOptions
        {
            NNeighbors = nNeighbors,
            MinDist = minDist,
            Spread = spread,
            Metric = metric,
            Epochs = epochs,
            NegativeSampleRate = negativeSampleRate,
            LearningRate = learningRate,
            TransformEpochs = transformEpochs,
        };
        return new ProjectToUmapEstimator(inputColumn, outputColumn, options, SplitCatalogExtensions.SeedFrom(catalog, seed));
    }
}
