using MlNetRobust.Data;

namespace MlNetRobust.Estimators;

/// <summary>Estimators run in order; fitting fits each on the output of the previous ones (ML.NET's EstimatorChain).</summary>
public sealed class EstimatorChain<TLast> : IEstimator<TransformerChain<TLast>> where TLast : class, ITransformer
{
    private readonly IReadOnlyList<IEstimator<ITransformer>> _estimators;

    internal EstimatorChain(IReadOnlyList<IEstimator<ITransformer>> estimators) => _estimators = estimators;

    public IReadOnlyList<IEstimator<ITransformer>> Estimators => _estimators;

    public EstimatorChain<TNext> Append<TNext>(IEstimator<TNext> next) where TNext : class, ITransformer =>
        new([.. _estimators, next]);

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        _estimators.Aggregate(inputSchema, (schema, e) => e.GetOutputSchema(schema));

    public TransformerChain<TLast> Fit(IDataView input)
    {
        GetOutputSchema(input.Schema); // fail before any training if a later step cannot accept its input
        var fitted = new List<ITransformer>();
        var current = input;
        foreach (var estimator in _estimators)
        {
            var transformer = estimator.Fit(current);
            fitted.Add(transformer);
            current = transformer.Transform(current);
        }
        return new TransformerChain<TLast>(fitted);
    }
}

/// <summary>Fitted steps applied in order; <see cref="LastTransformer"/> is typically the model.</summary>
public sealed class TransformerChain<TLast> : ITransformer, IDisposable where TLast : class, ITransformer
{
    public TransformerChain(IReadOnlyList<ITransformer> transformers)
    {
        Transformers = transformers;
        LastTransformer = transformers.Count > 0 ? transformers[^1] as TLast ?? throw new ArgumentException($"last step is {transformers[^1].GetType().Name}, not {typeof(TLast).Name}") : null!;
    }

    public IReadOnlyList<ITransformer> Transformers { get; }

    public TLast LastTransformer { get; }

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        Transformers.Aggregate(inputSchema, (schema, t) => t.GetOutputSchema(schema));

    public IDataView Transform(IDataView input) => Transformers.Aggregate(input, (view, t) => t.Transform(view));

    public void Dispose()
    {
        foreach (var t in Transformers)
        {
            (t as IDisposable)?.Dispose();
        }
    }
}

/// <summary>The ML.NET-style <c>Append</c> on any estimator.</summary>
public static class EstimatorExtensions
{
    public static EstimatorChain<TNext> Append<TNext>(this IEstimator<ITransformer> first, IEstimator<TNext> next)
        where TNext : class, ITransformer =>
        first is EstimatorChain<ITransformer> chain ? new([.. chain.Estimators, next]) : new([first, next]);
}
