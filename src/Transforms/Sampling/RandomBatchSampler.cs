namespace MlNetRobust.Transforms.Sampling;

/// <summary>
/// The ordinary sampler: each epoch visits every row once in a fresh seeded order (PyTorch's DataLoader with
/// shuffle=True), cut into batches; the last, smaller batch is kept unless <c>dropLast</c>.
/// </summary>
public sealed class RandomBatchSampler : IBatchSampler
{
    public RandomBatchSampler(long rowCount, int batchSize, ulong seed, bool dropLast = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        (RowCount, BatchSize, Seed, DropLast) = (rowCount, batchSize, seed, dropLast);
    }

    public long RowCount { get; }

    public int BatchSize { get; }

    public ulong Seed { get; }

    public bool DropLast { get; }

    public int BatchesPerEpoch => (int)(DropLast ? RowCount / BatchSize : (RowCount + BatchSize - 1) / BatchSize);

    public IEnumerable<long[]> GetBatches(int epoch)
    {
        var order = new long[RowCount];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        new SeededRandom(SeedMixer.Mix(Seed, epoch, Salt)).Shuffle(order);
        for (var b = 0; b < BatchesPerEpoch; b++)
        {
            var start = b * (long)BatchSize;
            yield return order[(int)start..(int)Math.Min(start + BatchSize, RowCount)];
        }
    }

    private const ulong Salt = 0x5EED_0001;
}
