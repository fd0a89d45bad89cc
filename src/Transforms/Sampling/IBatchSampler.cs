namespace MlNetRobust.Transforms.Sampling;

/// <summary>
/// Decides which rows go into each training batch, kept apart from losses and trainers (as PyTorch's samplers
/// and pytorch-metric-learning's MPerClassSampler): a trainer asks for an epoch's batches of row ids and reads
/// each with <c>view.GetRows(ids)</c>. Ids are positions in the view the sampler was built on.
/// </summary>
public interface IBatchSampler
{
    /// <summary>Batches in one epoch.</summary>
    int BatchesPerEpoch { get; }

    /// <summary>
    /// The row-id batches of epoch <paramref name="epoch"/>. The same epoch gives the same batches on every call
    /// (each epoch draws from its own stream derived from the sampler's seed), so a resumed run repeats them.
    /// </summary>
    IEnumerable<long[]> GetBatches(int epoch);
}
