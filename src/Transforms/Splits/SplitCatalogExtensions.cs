using MlNetRobust.Catalogs;
using MlNetRobust.Data;
using MlNetRobust.Transforms.Sampling;
using MlNetRobust.Transforms.Splits;

namespace MlNetRobust;

/// <summary>
/// Splitting and selecting rows on <c>ctx.Data</c>: stratified split, a stratified subset, shuffle, take. Results
/// are <see cref="SubsetDataView"/>s over the source (nothing copied). A null seed takes the context's next seed,
/// so a pipeline built in the same order on the same context seed repeats its splits.
/// </summary>
public static class SplitCatalogExtensions
{
    private const ulong TakeSalt = 0x5B11_7001;
    private const ulong ShuffleSalt = 0x5B11_7002;

    /// <summary>
    /// Splits <paramref name="view"/> per class: round(<paramref name="trainFraction"/> × count) rows of each class to
    /// train (at least one on each side when a class has two or more rows), the rest to test.
    /// The result's <c>Table</c> lists per class: tag, train, test, total, train %, test %, and totals.
    /// </summary>
    public static StratifiedSplitResult StratifiedSplit(this DataCatalog catalog, IDataView view,
        double trainFraction = StratifiedSplitter.Defaults.TrainFraction, int? seed = null, string labelColumn = DefaultColumnNames.Label) =>
        StratifiedSplitter.Split(view, ClassIndex.FromView(view, labelColumn, nameof(StratifiedSplit)), trainFraction, SeedFrom(catalog, seed));

    /// <summary>
    /// Up to <paramref name="perClass"/> seeded-random rows of each class (all rows of a smaller class), in ascending
    /// order — e.g. 100 per class for a PGD evaluation subset.
    /// </summary>
    public static SubsetDataView TakeStratified(this DataCatalog catalog, IDataView view, int perClass, int? seed = null,
        string labelColumn = DefaultColumnNames.Label)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perClass, 1);
        var index = ClassIndex.FromView(view, labelColumn, nameof(TakeStratified));
        var s = SeedFrom(catalog, seed);
        var rows = index.RowsByClass.SelectMany(r => StratifiedSplitter.RankBySeed(r, s, TakeSalt).Take(perClass)).Order().ToArray();
        return new SubsetDataView(view, rows);
    }

    /// <summary>All rows in a seeded random order.</summary>
    public static SubsetDataView Shuffle(this DataCatalog catalog, IDataView view, int? seed = null) =>
        new(view, StratifiedSplitter.RankBySeed(Enumerable.Range(0, checked((int)view.RowCount)).Select(i => (long)i), SeedFrom(catalog, seed), ShuffleSalt));

    /// <summary>The first <paramref name="count"/> rows (all of them if there are fewer).</summary>
    public static SubsetDataView Take(this DataCatalog catalog, IDataView view, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var n = Math.Min(count, view.RowCount);
        var rows = new long[n];
        for (var i = 0; i < n; i++)
        {
            rows[i] = i;
        }
        return new SubsetDataView(view, rows);
    }

    /// <summary>A given seed as a 64-bit stream seed, or the context's next seed.</summary>
    internal static ulong SeedFrom(CatalogBase catalog, int? seed) =>
        seed is { } s ? SeedMixer.Mix((ulong)(uint)s) : catalog.Context.NextSeed();
}
