using MlNetRobust.Data;

namespace MlNetRobust.Estimators;

/// <summary>
/// Base of the transformers that map each batch independently (loading, conversion, perturbation,
/// scoring): <see cref="Transform"/> returns a lazy view that applies <see cref="MapBatch"/> as rows are read.
/// </summary>
public abstract class BatchTransformer : ITransformer
{
    public abstract DataViewSchema GetOutputSchema(DataViewSchema inputSchema);

    /// <summary>Maps one batch; consumes <paramref name="input"/> (dispose it or return values taken from it).</summary>
    public abstract DataBatch MapBatch(DataBatch input);

    /// <summary>
    /// Columns this step writes (adds or replaces). A read of other columns only goes straight to the input,
    /// skipping this step's work; null (the default) means "unknown: always map".
    /// </summary>
    protected virtual IReadOnlyCollection<string>? WrittenColumns => null;

    public IDataView Transform(IDataView input) => new MappedDataView(input, this, GetOutputSchema(input.Schema));

    private sealed class MappedDataView(IDataView source, BatchTransformer transformer, DataViewSchema schema) : IDataView
    {
        public DataViewSchema Schema { get; } = schema;

        public long RowCount => source.RowCount;

        public DataBatch GetRows(IReadOnlyList<long> rowIds) => transformer.MapBatch(source.GetRows(rowIds));

        public DataBatch GetColumns(IReadOnlyList<long> rowIds, IReadOnlyCollection<string> columns) =>
            transformer.WrittenColumns is { } written && !columns.Any(written.Contains) && columns.All(source.Schema.Contains)
                ? source.GetColumns(rowIds, columns)
                : GetRows(rowIds).Select(columns);
    }
}

/// <summary>An estimator with nothing to learn: fitting checks the schema and returns the transformer (ML.NET's TrivialEstimator).</summary>
public sealed class TrivialEstimator<TTransformer>(TTransformer transformer) : IEstimator<TTransformer> where TTransformer : ITransformer
{
    public TTransformer Transformer { get; } = transformer;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Transformer.GetOutputSchema(inputSchema);

    public TTransformer Fit(IDataView input)
    {
        GetOutputSchema(input.Schema);
        return Transformer;
    }
}
