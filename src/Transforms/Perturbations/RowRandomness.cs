using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Perturbations;

/// <summary>
/// Per-row random values for the rows a perturbation applies to. Every value depends only on
/// (perturbation seed, row id, salt) and on how many draws the perturbation made before it — never on the
/// batch — so a row is perturbed identically whichever batch it is in and wherever it sits in that batch.
///
/// Scalars (angles, factors, offsets) come from a SplitMix64 counter stream per row (<see cref="SeedMixer"/>);
/// per-pixel noise comes from a libtorch <see cref="Generator"/> seeded per row and per draw, stacked into one
/// batch tensor. Draw in a fixed order: the n-th call returns the n-th value of every row's stream.
/// </summary>
public sealed class RowRandomness
{
    private readonly ulong[] _keys;
    private readonly long[] _rowIds;
    private ulong _draws;

    /// <param name="keys">One key per row: <c>SeedMixer.Mix(seed, rowId, salt)</c>.</param>
    /// <param name="rowIds">The rows' ids (composite perturbations pass them on to their steps).</param>
    /// <param name="salt">The salt the keys were made with (passed on likewise).</param>
    public RowRandomness(ulong[] keys, long[] rowIds, ulong salt)
    {
        if (keys.Length != rowIds.Length)
        {
            throw new ArgumentException($"{keys.Length} keys for {rowIds.Length} rows", nameof(keys));
        }
        _keys = keys;
        _rowIds = rowIds;
        Salt = salt;
    }

    /// <summary>Keys for the given rows of a perturbation with this seed and salt.</summary>
    public static RowRandomness For(ulong seed, ReadOnlySpan<long> rowIds, ulong salt)
    {
        var keys = new ulong[rowIds.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = SeedMixer.Mix(seed, rowIds[i], salt);
        }
        return new RowRandomness(keys, rowIds.ToArray(), salt);
    }

    public int Count => _keys.Length;

    /// <summary>The rows' ids, in batch order.</summary>
    public ReadOnlySpan<long> RowIds => _rowIds;

    public ulong Salt { get; }

    /// <summary>The same streams restricted to some rows (positions into this set), continuing from the current draw.</summary>
    public RowRandomness Subset(IReadOnlyList<int> positions)
    {
        var keys = new ulong[positions.Count];
        var ids = new long[positions.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = _keys[positions[i]];
            ids[i] = _rowIds[positions[i]];
        }
        return new RowRandomness(keys, ids, Salt) { _draws = _draws };
    }

    /// <summary>The next raw 64-bit value of every row's stream.</summary>
    public ulong[] NextBits()
    {
        var draw = ++_draws;
        var result = new ulong[_keys.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = SeedMixer.Mix(_keys[i] ^ SeedMixer.Mix(draw * 0x9E3779B97F4A7C15UL));
        }
        return result;
    }

    /// <summary>One value per row, uniform in [low, high).</summary>
    public double[] NextUniform(double low = 0, double high = 1) =>
        Array.ConvertAll(NextBits(), b => low + ((high - low) * SeedMixer.ToUnit(b)));

    /// <summary>One integer per row, uniform in [low, high] (inclusive).</summary>
    public long[] NextInteger(long low, long high)
    {
        if (high < low)
        {
            throw new ArgumentException($"empty range [{low}, {high}]");
        }
        var span = (ulong)(high - low) + 1;
        return Array.ConvertAll(NextBits(), b => low + (long)(SeedMixer.ToUnit(b) * span));
    }

    /// <summary>A random permutation of 0..n-1 per row (Fisher–Yates over the row's stream).</summary>
    public int[][] NextPermutation(int n)
    {
        var result = new int[Count][];
        for (var r = 0; r < Count; r++)
        {
            result[r] = Enumerable.Range(0, n).ToArray();
        }
        for (var i = n - 1; i > 0; i--)
        {
            var j = NextInteger(0, i);
            for (var r = 0; r < Count; r++)
            {
                (result[r][i], result[r][j[r]]) = (result[r][j[r]], result[r][i]);
            }
        }
        return result;
    }

    /// <summary>Standard normal noise of shape [rows, ..itemShape]: each row's from its own seeded generator.</summary>
    public Tensor Randn(long[] itemShape, ScalarType dtype = ScalarType.Float32, IReadOnlyList<int>? only = null) =>
        Draw((g, shape) => torch.randn(shape, g, dtype), itemShape, only);

    /// <summary>Uniform [0, 1) noise of shape [rows, ..itemShape], each row's from its own seeded generator.</summary>
    public Tensor Rand(long[] itemShape, ScalarType dtype = ScalarType.Float32, IReadOnlyList<int>? only = null) =>
        Draw((g, shape) => torch.rand(shape, g, dtype), itemShape, only);

    /// <summary>
    /// Uniform [0, 1) values, <paramref name="counts"/>[i] of them from row i's generator for this draw,
    /// concatenated in row order into one vector (rejection samplers draw only for what is still pending;
    /// how many a row needs depends only on that row, so the values stay independent of the batch).
    /// </summary>
    public Tensor RandRagged(long[] counts, ScalarType dtype = ScalarType.Float64)
    {
        if (counts.Length != Count)
        {
            throw new ArgumentException($"{counts.Length} counts for {Count} rows", nameof(counts));
        }
        var seeds = NextBits();
        using var scope = torch.NewDisposeScope();
        var parts = new List<Tensor>();
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] > 0)
            {
                using var generator = new Generator(seeds[i]);
                parts.Add(torch.rand([counts[i]], generator, dtype));
            }
        }
        return (parts.Count == 0 ? torch.empty([0], dtype) : torch.cat(parts)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Stacks one tensor per row drawn by <paramref name="draw"/> from a generator seeded for that row and this
    /// draw (a fresh generator per row: cheap, and it makes a row's noise independent of its batch). With
    /// <paramref name="only"/>, draws just for those rows (positions), in that order; the draw still counts
    /// for every row, so the others' later draws do not shift. (libtorch's generator, mt19937, keeps 32 bits of
    /// its seed: two rows share a noise pattern with chance ~n²/2³³ — harmless for augmentation.)
    /// </summary>
    public Tensor Draw(Func<Generator, long[], Tensor> draw, long[] itemShape, IReadOnlyList<int>? only = null)
    {
        var seeds = NextBits();
        var count = only?.Count ?? seeds.Length;
        if (count == 0)
        {
            return torch.empty([0, .. itemShape]);
        }
        using var scope = torch.NewDisposeScope();
        var rows = new Tensor[count];
        for (var i = 0; i < count; i++)
        {
            using var generator = new Generator(seeds[only is null ? i : only[i]]);
            rows[i] = draw(generator, itemShape);
        }
        return torch.stack(rows).MoveToOuterDisposeScope();
    }
}
