using MlNetRobust.Data;
using MlNetRobust.Transforms.Sampling;

namespace MlNetRobust.Transforms.Splits;

/// <summary>A stratified split: the two sides as views over the source (nothing copied) and the per-class table.</summary>
public sealed class StratifiedSplitResult(SubsetDataView train, SubsetDataView test, SplitTable table, ulong seed)
{
    public SubsetDataView Train { get; } = train;

    public SubsetDataView Test { get; } = test;

    public SplitTable Table { get; } = table;

    /// <summary>The seed the split used (the context's next seed when none was given), to repeat it.</summary>
    public ulong Seed { get; } = seed;

    public void Deconstruct(out SubsetDataView train, out SubsetDataView test) => (train, test) = (Train, Test);

    public override string ToString() => Table.ToString();
}

/// <summary>
/// Stratified train/test split with exact per-class proportions. ML.NET's TrainTestSplit groups but does not
/// stratify; this does. For each class with n rows: train gets round(fraction × n) of them (half away from zero),
/// kept within 1..n−1 so that a class with ≥ 2 rows is on both sides; a class with 1 row goes wholly to train.
///
/// Which rows: each row gets the key SeedMixer.Mix(seed, row, salt) and a class's rows are taken in key order — a
/// seeded shuffle in which a row's key depends on nothing else, so a class's split is the same whatever other
/// classes exist and in whatever order classes appear or are numbered. Both sides list their rows in ascending
/// source order (trainers shuffle with their own samplers).
/// </summary>
public static class StratifiedSplitter
{
    public static class Defaults
    {
        /// <summary>The research trains on 20% and validates on 80%.</summary>
        public const double TrainFraction = 0.2;
    }

    private const ulong Salt = 0x5B11_7000;

    public static StratifiedSplitResult Split(IDataView view, ClassIndex index, double trainFraction, ulong seed)
    {
        if (!(trainFraction > 0 && trainFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "the train fraction must be strictly between 0 and 1");
        }
        if (index.RowCount != view.RowCount)
        {
            throw new ArgumentException($"the class index covers {index.RowCount} rows but the view has {view.RowCount}", nameof(index));
        }
        var train = new List<long>();
        var test = new List<long>();
        var rows = new List<SplitTableRow>();
        for (var c = 0; c < index.ClassNames.Count; c++)
        {
            var ranked = RankBySeed(index.RowsByClass[c], seed, Salt);
            var n = ranked.Length;
            var take = n < 2 ? n : (int)Math.Clamp(Math.Round((decimal)trainFraction * n, MidpointRounding.AwayFromZero), 1, n - 1);
            train.AddRange(ranked.Take(take));
            test.AddRange(ranked.Skip(take));
            rows.Add(new SplitTableRow(index.ClassNames[c], take, n - take));
        }
        train.Sort();
        test.Sort();
        return new StratifiedSplitResult(new SubsetDataView(view, train), new SubsetDataView(view, test), new SplitTable(rows), seed);
    }

    /// <summary>
    /// The rows in seeded random order: sorted by a key mixed from (seed, row, salt), ties (vanishingly rare) by row.
    /// A row's place depends only on its own key, not on the other rows or the order they come in.
    /// </summary>
    internal static long[] RankBySeed(IEnumerable<long> rows, ulong seed, ulong salt) =>
        rows.Select(r => (Row: r, Key: SeedMixer.Mix(seed, r, salt))).OrderBy(p => p.Key).ThenBy(p => p.Row).Select(p => p.Row).ToArray();
}
