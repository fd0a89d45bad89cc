using MlNetRobust.Torch;

namespace MlNetRobust.Trainers.Losses;

/// <summary>
/// How per-element losses (one per pair, triplet or anchor, [K]) become the batch loss (pytorch-metric-learning's
/// reducers). Every reducer gives 0, not NaN, for K = 0, keeping the result attached to the graph.
/// </summary>
public interface IReducer
{
    /// <summary>"mean", "avg_non_zero", "sum".</summary>
    string Name { get; }

    /// <summary>[K] → a 0-dimensional tensor.</summary>
    Tensor Reduce(Tensor losses);
}

/// <summary>The named reducers, for options and the loss factory.</summary>
public enum MetricReduction
{
    Mean,
    AvgNonZero,
    Sum,
}

/// <summary>The mean over all elements.</summary>
public sealed class MeanReducer : IReducer
{
    public static readonly MeanReducer Instance = new();

    public string Name => "mean";

    public Tensor Reduce(Tensor losses)
    {
        using var sum = losses.sum();
        return sum.div(Math.Max(1, losses.numel()));
    }
}

/// <summary>
/// The mean over the elements that are above zero: pairs and triplets that already satisfy their margin do
/// not dilute the loss (pytorch-metric-learning's AvgNonZeroReducer, the default of its margin losses).
/// </summary>
public sealed class AvgNonZeroReducer : IReducer
{
    public static readonly AvgNonZeroReducer Instance = new();

    public string Name => "avg_non_zero";

    public Tensor Reduce(Tensor losses)
    {
        using var scope = torch.NewDisposeScope();
        var positive = losses.gt(0).to(losses.dtype);
        var count = positive.sum().clamp_min(1);
        return losses.mul(positive).sum().div(count).MoveToOuterDisposeScope();
    }
}

/// <summary>The sum over all elements.</summary>
public sealed class SumReducer : IReducer
{
    public static readonly SumReducer Instance = new();

    public string Name => "sum";

    public Tensor Reduce(Tensor losses) => losses.sum();
}

public static class Reducers
{
    public static IReducer Create(MetricReduction reduction) => reduction switch
    {
        MetricReduction.Mean => MeanReducer.Instance,
        MetricReduction.AvgNonZero => AvgNonZeroReducer.Instance,
        MetricReduction.Sum => SumReducer.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "unknown reduction"),
    };
}
