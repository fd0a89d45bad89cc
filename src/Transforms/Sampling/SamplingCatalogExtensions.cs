using MlNetRobust.Catalogs;
using MlNetRobust.Data;
using MlNetRobust.Transforms.Sampling;

namespace MlNetRobust;

/// <summary>
/// Class weights and batch samplers on <c>ctx.Data</c>. A sampler yields batches of row ids (positions in the view
/// it was built on) that a trainer reads with <c>view.GetRows(ids)</c>. A null seed takes the context's next seed.
/// </summary>
public static class SamplingCatalogExtensions
{
    public static class Defaults
    {
        public const int BatchSize = 128;

        /// <summary>Rows per class in an m-per-class batch (the research: 26 per class × 10 classes = 260).</summary>
        public const int MPerClass = 26;

        public const int MPerClassBatchSize = 260;
    }

    /// <summary>
    /// "Balanced" inverse-frequency weights, as scikit-learn: n_samples / (n_classes × count_c). Reads the label column once.
    /// </summary>
    public static ClassWeights ComputeClassWeights(this DataCatalog catalog, IDataView view, string labelColumn = DefaultColumnNames.Label) =>
        ClassWeights.Balanced(ClassIndex.FromView(view, labelColumn, nameof(ComputeClassWeights)));

    /// <summary>Every row once per epoch, in a fresh seeded order.</summary>
    public static RandomBatchSampler RandomBatchSampler(this DataCatalog catalog, IDataView view, int batchSize = Defaults.BatchSize,
        bool dropLast = false, int? seed = null) =>
        new(view.RowCount, batchSize, SplitCatalogExtensions.SeedFrom(catalog, seed), dropLast);

    /// <summary>
    /// Rows drawn with replacement, with probability ∝ the weight of their class; <paramref name="weights"/> null uses
    /// <see cref="ComputeClassWeights"/> (every class equally likely). An epoch is <paramref name="samplesPerEpoch"/>
    /// draws (null: the view's row count).
    /// </summary>
    public static WeightedRandomSampler WeightedRandomSampler(this DataCatalog catalog, IDataView view, ClassWeights? weights = null,
        int batchSize = Defaults.BatchSize, long? samplesPerEpoch = null, int? seed = null, string labelColumn = DefaultColumnNames.Label)
    {
        var index = ClassIndex.FromView(view, labelColumn, nameof(WeightedRandomSampler));
        weights ??= ClassWeights.Balanced(index);
        return new WeightedRandomSampler(index, weights.Weights, batchSize, samplesPerEpoch ?? view.RowCount, SplitCatalogExtensions.SeedFrom(catalog, seed));
    }

    /// <summary>
    /// Batches of <paramref name="batchSize"/> / <paramref name="m"/> classes with exactly <paramref name="m"/> rows each,
    /// as pytorch-metric-learning's MPerClassSampler (defaults: 26 per class × 10 classes = 260 rows). An epoch is
    /// <paramref name="samplesPerEpoch"/> rows (null: the view's row count) rounded down to whole batches.
    /// </summary>
    public static MPerClassSampler MPerClassSampler(this DataCatalog catalog, IDataView view, int m = Defaults.MPerClass,
        int batchSize = Defaults.MPerClassBatchSize, long? samplesPerEpoch = null, int? seed = null, string labelColumn = DefaultColumnNames.Label) =>
        new(ClassIndex.FromView(view, labelColumn, nameof(MPerClassSampler)), m, batchSize, samplesPerEpoch, SplitCatalogExtensions.SeedFrom(catalog, seed));
}
