using MlNetRobust.Data;

namespace MlNetRobust.Estimators;

/// <summary>A fitted pipeline step: maps a data view to a new (lazy) data view, as ML.NET's ITransformer.</summary>
public interface ITransformer
{
    /// <summary>The schema <see cref="Transform"/> would produce, or a <see cref="SchemaException"/> naming what does not fit.</summary>
    DataViewSchema GetOutputSchema(DataViewSchema inputSchema);

    IDataView Transform(IDataView input);
}

/// <summary>An unfitted step: learns from data and returns its transformer, as ML.NET's IEstimator.</summary>
public interface IEstimator<out TTransformer> where TTransformer : ITransformer
{
    TTransformer Fit(IDataView input);

    /// <summary>Checks the input schema before any work, so a bad pipeline fails at once with a clear message.</summary>
    DataViewSchema GetOutputSchema(DataViewSchema inputSchema);
}
