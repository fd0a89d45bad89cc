namespace MlNetRobust.Transforms.Sampling;

/// <summary>
/// Draws rows with replacement, each with probability proportional to its class's weight (PyTorch's
/// WeightedRandomSampler with per-row weight = w[label]); with balanced <see cref="ClassWeights"/> every class is
/// drawn equally often on average, however rare. A draw picks a class with probability ∝ w_c × count_c, then a row
/// of it uniformly — the same distribution as a per-row draw, at the cost of a search over classes, not rows.
/// </summary>
public sealed class WeightedRandomSampler : IBatchSampler
{
    private readonly ClassIndex _index;
    private readonly double[] _cumulative;

    /// <param name="index">The view's rows by class.</param>
    /// <param name="weights">One weight per class (≥ 0; at least one class with rows must weigh more than 0).</param>
    /// <param name="batchSize">Rows per batch.</param>
    /// <param name="samplesPerEpoch">Draws per epoch; the last batch may be smaller.</param>
    /// <param name="seed">Makes the draws reproducible; each epoch has its own stream.</param>
    public WeightedRandomSampler(ClassIndex index, IReadOnlyList<double> weights, int batchSize, long samplesPerEpoch, ulong seed)
    {
        if (weights.Count != index.ClassNames.Count)
        {
            throw new ArgumentException($"{weights.Count} weights for {index.ClassNames.Count} classes", nameof(weights));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerEpoch, 1);
        _index = index;
        _cumulative = new double[weights.Count];
        var sum = 0.0;
        for (var c = 0; c < weights.Count; c++)
        {
            if (weights[c] < 0 || !double.IsFinite(weights[c]))
            {
                throw new ArgumentException($"class '{index.ClassNames[c]}' has weight {weights[c]}; weights must be finite and ≥ 0", nameof(weights));
            }
            sum += weights[c] * index.RowsByClass[c].Length;
            _cumulative[c] = sum;
        }
        if (sum <= 0)
        {
            throw new ArgumentException("no row has a positive weight: nothing can be drawn", nameof(weights));
        }
        (BatchSize, SamplesPerEpoch, Seed) = (batchSize, samplesPerEpoch, seed);
    }

    public int BatchSize { get; }

    public long SamplesPerEpoch { get; }

    public ulong Seed { get; }

    public int BatchesPerEpoch => (int)((SamplesPerEpoch + BatchSize - 1) / BatchSize);

    public IEnumerable<long[]> GetBatches(int epoch)
    {
        var random = new SeededRandom(SeedMixer.Mix(Seed, epoch, Salt));
        for (long start = 0; start < SamplesPerEpoch; start += BatchSize)
        {
            var batch = new long[Math.Min(BatchSize, SamplesPerEpoch - start)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = Draw(random);
            }
            yield return batch;
        }
    }

    private long Draw(SeededRandom random)
    {
        var total = _cumulative[^1];
        // Rounding can lift u to the total; keep it strictly inside so the search always lands on a class with mass.
        var u = Math.Min(random.NextDouble() * total, Math.BitDecrement(total));
        // The first class whose cumulative mass exceeds u; classes without mass (equal cumulatives) are never chosen.
        int lo = 0, hi = _cumulative.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_cumulative[mid] > u)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        var rows = _index.RowsByClass[lo];
        return rows[random.NextLong(rows.Length)];
    }

    private const ulong Salt = 0x5EED_0002;
}
