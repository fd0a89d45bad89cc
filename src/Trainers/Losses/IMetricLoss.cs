using MlNetRobust.Torch;

namespace MlNetRobust.Trainers.Losses;

/// <summary>
/// A metric-learning loss over one batch: embeddings [N, D] (float32 or float64; the losses L2-normalise them
/// again, which changes nothing for unit vectors) and their class labels [N] (int64, or int32), giving a
/// scalar that is differentiable with respect to the embeddings. Pairs and triplets are formed inside the
/// batch from the labels; a batch without any valid pair or triplet gives 0 (still attached to the graph,
/// so <c>backward()</c> works and yields zero gradients), never NaN.
/// </summary>
public interface IMetricLoss
{
    /// <summary>The name <see cref="MetricLosses.Create"/> knows it by ("angular", "circle", …).</summary>
    string Name { get; }

    /// <summary>The loss of the batch, a 0-dimensional tensor of the embeddings' type; the caller disposes it.</summary>
    Tensor Compute(Tensor embeddings, Tensor labels);
}

/// <summary>
/// The plumbing every metric loss shares — input checks, L2 normalisation, label masks, and a dispose scope
/// so that only the result outlives the call — leaving each loss only its formula (torchattacks' base class
/// does the same for attacks).
/// </summary>
public abstract class MetricLoss : IMetricLoss
{
    public abstract string Name { get; }

    public Tensor Compute(Tensor embeddings, Tensor labels)
    {
        Validate(embeddings, labels);
        using var scope = torch.NewDisposeScope();
        var x = torch.nn.functional.normalize(embeddings, 2, 1);
        var y = labels.dtype == ScalarType.Int64 ? labels : labels.to(ScalarType.Int64);
        return ComputeCore(x, new PairMasks(y)).MoveToOuterDisposeScope();
    }

    /// <summary>The formula: <paramref name="x"/> are the L2-normalised embeddings [N, D]. Runs inside a dispose scope.</summary>
    protected abstract Tensor ComputeCore(Tensor x, PairMasks masks);

    /// <summary>
    /// The hyper-parameters that change the loss ("m=0.25, gamma=256, reducer=mean"): part of a trainer's checkpoint
    /// fingerprint, so a checkpoint made with other loss settings is never resumed silently.
    /// </summary>
    public abstract string Settings { get; }

    /// <summary>"circle(m=0.25, gamma=256, reducer=mean)".</summary>
    public override string ToString() => $"{Name}({Settings})";

    /// <summary>Invariant, round-trippable formatting for <see cref="Settings"/>.</summary>
    protected static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private void Validate(Tensor embeddings, Tensor labels)
    {
        if (embeddings.ndim != 2 || !embeddings.dtype.IsFloatingPoint())
        {
            throw new ArgumentException($"{Name} loss: embeddings must be a float tensor [N, D], got {embeddings.Describe()}", nameof(embeddings));
        }
        if (labels.ndim != 1 || labels.dtype is not (ScalarType.Int64 or ScalarType.Int32))
        {
            throw new ArgumentException($"{Name} loss: labels must be an int64 tensor [N], got {labels.Describe()}", nameof(labels));
        }
        if (labels.size(0) != embeddings.size(0))
        {
            throw new ArgumentException($"{Name} loss: {embeddings.size(0)} embeddings but {labels.size(0)} labels", nameof(labels));
        }
    }
}

/// <summary>
/// Which pairs of a batch are positive (same label, i ≠ j) and negative (different labels), as [N, N] bool
/// masks — pytorch-metric-learning's get_all_pairs_indices in matrix form.
/// </summary>
public sealed class PairMasks
{
    internal PairMasks(Tensor labels)
    {
        Labels = labels;
        Count = labels.size(0);
        var same = labels.unsqueeze(1).eq(labels.unsqueeze(0));
        var index = torch.arange(Count);
        var notSelf = index.unsqueeze(1).ne(index.unsqueeze(0));
        Positive = same.logical_and(notSelf);
        Negative = same.logical_not();
    }

    /// <summary>The labels [N], int64.</summary>
    public Tensor Labels { get; }

    public long Count { get; }

    /// <summary>[N, N]: true where labels match and the rows differ.</summary>
    public Tensor Positive { get; }

    /// <summary>[N, N]: true where labels differ.</summary>
    public Tensor Negative { get; }
}

/// <summary>Tensor helpers the losses share.</summary>
internal static class LossMath
{
    /// <summary>
    /// log Σ exp over the kept entries of each row of x [R, C] (plus a 0 term, i.e. log(1 + Σ exp), when
    /// <paramref name="addOne"/>); rows with nothing kept give 0. As pytorch-metric-learning's
    /// <c>lmu.logsumexp</c>, left-out entries are set to the lowest finite value rather than −∞, so neither
    /// the value nor the gradient of an empty row can become NaN. Returns [R].
    /// </summary>
    public static Tensor MaskedLogSumExp(Tensor x, Tensor keep, bool addOne)
    {
        var filled = x.masked_fill(keep.logical_not(), LowestFinite(x.dtype));
        if (addOne)
        {
            filled = torch.cat([filled, torch.zeros([x.size(0), 1], x.dtype)], 1);
        }
        var lse = filled.logsumexp(1);
        return torch.where(keep.sum(1).gt(0), lse, torch.zeros_like(lse));
    }

    public static double LowestFinite(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => double.MinValue,
        ScalarType.Float32 => float.MinValue,
        ScalarType.Float16 => -65504.0,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a floating-point type"),
    };
}
