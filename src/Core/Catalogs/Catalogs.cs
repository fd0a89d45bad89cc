using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Persistence;

namespace MlNetRobust.Catalogs;

/// <summary>Base of the catalogs: each knows its context, so extension methods can draw seeds from it.</summary>
public abstract class CatalogBase(RobustContext context)
{
    public RobustContext Context { get; } = context;
}

/// <summary>Loading, splitting and sampling data (<c>ctx.Data</c>); loaders are extension methods from MlNetRobust.Transforms.</summary>
public sealed class DataCatalog(RobustContext context) : CatalogBase(context);

/// <summary>Image conversion, perturbations, attacks and projections (<c>ctx.Transforms</c>).</summary>
public sealed class TransformsCatalog(RobustContext context) : CatalogBase(context);

/// <summary>Model trainers (<c>ctx.Trainers</c>), added by MlNetRobust.Trainers.</summary>
public sealed class TrainersCatalog(RobustContext context) : CatalogBase(context);

/// <summary>Metrics and reports (<c>ctx.Evaluation</c>), added by MlNetRobust.Trainers.</summary>
public sealed class EvaluationCatalog(RobustContext context) : CatalogBase(context);

/// <summary>Saving and loading fitted pipelines as model zips (<c>ctx.Model</c>).</summary>
public sealed class ModelCatalog(RobustContext context) : CatalogBase(context)
{
    /// <summary>Writes the fitted pipeline and its weights to one zip (atomically).</summary>
    public void Save(ITransformer model, DataViewSchema inputSchema, string path) => ModelZip.Save(model, inputSchema, path);

    /// <summary>Loads a model zip written by <see cref="Save"/>.</summary>
    public TransformerChain<ITransformer> Load(string path) => ModelZip.Load(path);
}
