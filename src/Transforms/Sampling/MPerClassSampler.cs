namespace MlNetRobust.Transforms.Sampling;

/// <summary>
/// Balanced batches for metric learning, as pytorch-metric-learning's <c>MPerClassSampler</c>: every batch holds
/// <c>batchSize / m</c> distinct classes, chosen afresh at random for each batch, and exactly <c>m</c> rows of each
/// (e.g. 26 per class × 10 classes = 260). Rows of a class are drawn without replacement, or with replacement when
/// the class has fewer than <c>m</c> rows. Classes without rows are never chosen. Rows of a batch come grouped by
/// class, as in pytorch-metric-learning; the losses that use it do not depend on the order.
/// An epoch is <c>samplesPerEpoch</c> rows rounded down to whole batches (pytorch-metric-learning's
/// <c>length_before_new_iter</c>, default 100,000 there; here the view's row count, so an epoch is about one pass).
/// </summary>
public sealed class MPerClassSampler : IBatchSampler
{
    private readonly long[][] _classes;

    /// <param name="index">The view's rows by class.</param>
    /// <param name="m">Rows per class in a batch.</param>
    /// <param name="batchSize">A multiple of <paramref name="m"/>, at most m × (classes with rows).</param>
    /// <param name="samplesPerEpoch">Rows per epoch before rounding down to whole batches; null: the view's row count.</param>
    /// <param name="seed">Makes the batches reproducible; each epoch has its own stream.</param>
    public MPerClassSampler(ClassIndex index, int m, int batchSize, long? samplesPerEpoch, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (batchSize % m != 0)
        {
            throw new ArgumentException($"batch size {batchSize} is not a multiple of m = {m}: each batch must hold exactly m rows of each of its classes", nameof(batchSize));
        }
        _classes = index.RowsByClass.Where(rows => rows.Length > 0).ToArray();
        if (batchSize / m > _classes.Length)
        {
            throw new ArgumentException($"batch size {batchSize} needs {batchSize / m} classes of {m} rows, but only {_classes.Length} classes have rows", nameof(batchSize));
        }
        var length = samplesPerEpoch ?? index.RowCount;
        (M, BatchSize, Seed) = (m, batchSize, seed);
        BatchesPerEpoch = (int)Math.Max(1, length / batchSize);
    }

    public int M { get; }

    public int BatchSize { get; }

    public ulong Seed { get; }

    public int BatchesPerEpoch { get; }

    public int ClassesPerBatch => BatchSize / M;

    public IEnumerable<long[]> GetBatches(int epoch)
    {
        var random = new SeededRandom(SeedMixer.Mix(Seed, epoch, Salt));
        var classOrder = Enumerable.Range(0, _classes.Length).ToArray();
        for (var b = 0; b < BatchesPerEpoch; b++)
        {
            random.Shuffle(classOrder);
            var batch = new long[BatchSize];
            for (var k = 0; k < ClassesPerBatch; k++)
            {
                Choose(_classes[classOrder[k]], batch.AsSpan(k * M, M), random);
            }
            yield return batch;
        }
    }

    /// <summary>m rows of one class: a partial Fisher–Yates without replacement, or independent draws if the class is too small.</summary>
    private static void Choose(long[] rows, Span<long> into, SeededRandom random)
    {
        if (rows.Length < into.Length)
        {
            for (var i = 0; i < into.Length; i++)
            {
                into[i] = rows[random.NextLong(rows.Length)];
            }
            return;
        }
        var pool = (long[])rows.Clone();
        for (var i = 0; i < into.Length; i++)
        {
            var j = i + (int)random.NextLong(pool.Length - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
            into[i] = pool[i];
        }
    }

    private const ulong Salt = 0x5EED_0003;
}
