using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Umap;

/// <summary>
/// Learns a 2-D UMAP map of an embedding column (<c>ctx.Transforms.ProjectToUmap()</c>): fitting lays out the
/// training embeddings (<see cref="UmapLayout"/>); the fitted <see cref="UmapTransformer"/> adds the map position
/// of any embedding — training, validation, test or perturbed test — as a float32 [2] column.
/// </summary>
public sealed class ProjectToUmapEstimator : IEstimator<UmapTransformer>
{
    private const int ReadBatchSize = 4096;

    public ProjectToUmapEstimator(string inputColumn, string outputColumn, UmapOptions options, ulong seed)
    {
        options.Validate();
        (InputColumn, OutputColumn, Options, Seed) = (inputColumn, outputColumn, options, seed);
    }

    public string InputColumn { get; }

    public string OutputColumn { get; }

    public UmapOptions Options { get; }

    public ulong Seed { get; }

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var type = inputSchema.Require<TensorType>(InputColumn, "ProjectToUmap", "float embeddings [D]");
        if (type.ItemShape.Count != 1 || type.DType is not (ScalarType.Float32 or ScalarType.Float64))
        {
            throw new SchemaException($"ProjectToUmap: column '{InputColumn}' is {type}, expected float embeddings [D] (one vector per row)");
        }
        return inputSchema.With(OutputColumn, UmapTransformer.OutputType);
    }

    public UmapTransformer Fit(IDataView input) => Fit(input, progress: null, CancellationToken.None);

    /// <summary>Fits, reporting after initialisation and each epoch; cancellation is checked between epochs.</summary>
    public UmapTransformer Fit(IDataView input, IProgress<UmapProgress>? progress, CancellationToken cancellationToken = default)
    {
        GetOutputSchema(input.Schema);
        var embeddings = ReadColumn(input, InputColumn);
        try
        {
            using var layout = new UmapLayout(embeddings, Options, Seed);
            foreach (var step in layout.Run(cancellationToken))
            {
                progress?.Report(step);
            }
            return new UmapTransformer(InputColumn, OutputColumn, Options, Seed, layout.A, layout.B, layout.NeighborCount,
                embeddings, layout.EmbeddingTensor());
        }
        catch
        {
            embeddings.Dispose();
            throw;
        }
    }

    /// <summary>Every row of a tensor column as one float32 tensor [N, ...] (the caller disposes it).</summary>
    internal static Tensor ReadColumn(IDataView input, string column)
    {
        using var scope = torch.NewDisposeScope();
        var parts = new List<Tensor>();
        foreach (var batch in input.GetBatches(ReadBatchSize))
        {
            using (batch)
            {
                parts.Add(batch.GetTensor(column).to(ScalarType.Float32));
            }
        }
        if (parts.Count == 0)
        {
            throw new ArgumentException($"ProjectToUmap: the training data has no rows", nameof(input));
        }
        return torch.cat(parts).DetachFromDisposeScope();
    }

    /// <summary>Column names the catalog uses unless told otherwise (algorithm defaults: <see cref="UmapOptions.Defaults"/>).</summary>
    public static class Defaults
    {
        public const string InputColumn = DefaultColumnNames.Embedding;
        public const string OutputColumn = "Umap";
    }
}
