using MlNetRobust.Torch;

namespace MlNetRobust.Trainers.Losses;

/// <summary>
/// How a loss measures pairs (pytorch-metric-learning's distances): a pairwise matrix between the rows of
/// two sets of embeddings. A similarity grows as points get closer, a distance shrinks; losses that take a
/// distance are written once for both through <see cref="Distances.Margin(IDistance, Tensor, Tensor)"/>.
/// </summary>
public interface IDistance
{
    /// <summary>"cosine", "euclidean".</summary>
    string Name { get; }

    /// <summary>True when larger values mean closer (cosine similarity), false for distances.</summary>
    bool IsSimilarity { get; }

    /// <summary>[N, D] × [M, D] → [N, M].</summary>
    Tensor Pairwise(Tensor x, Tensor y);
}

/// <summary>The named distances, for options and the loss factory.</summary>
public enum MetricDistance
{
    Cosine,
    Euclidean,
}

/// <summary>Cosine similarity: x̂·ŷ of the L2-normalised rows, in [−1, 1].</summary>
public sealed class CosineSimilarity : IDistance
{
    public static readonly CosineSimilarity Instance = new();

    public string Name => "cosine";

    public bool IsSimilarity => true;

    public Tensor Pairwise(Tensor x, Tensor y)
    {
        using var scope = torch.NewDisposeScope();
        var xn = torch.nn.functional.normalize(x, 2, 1);
        var yn = ReferenceEquals(x, y) ? xn : torch.nn.functional.normalize(y, 2, 1);
        return xn.mm(yn.t()).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Euclidean (L2) distance ‖x − y‖ through <c>torch.cdist</c>, whose backward is defined (zero) where two rows
/// coincide — unlike sqrt of the expanded square, whose gradient is infinite there.
/// </summary>
public sealed class EuclideanDistance : IDistance
{
    public static readonly EuclideanDistance Instance = new();

    public string Name => "euclidean";

    public bool IsSimilarity => false;

    public Tensor Pairwise(Tensor x, Tensor y) => torch.cdist(x, y);
}

public static class Distances
{
    public static IDistance Create(MetricDistance distance) => distance switch
    {
        MetricDistance.Cosine => CosineSimilarity.Instance,
        MetricDistance.Euclidean => EuclideanDistance.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(distance), distance, "unknown distance"),
    };

    /// <summary>
    /// How far <paramref name="a"/> is from being at least as close as <paramref name="b"/>: a − b for a
    /// distance, b − a for a similarity (pytorch-metric-learning's <c>distance.margin</c>).
    /// </summary>
    public static Tensor Margin(this IDistance distance, Tensor a, Tensor b) => distance.IsSimilarity ? b.sub(a) : a.sub(b);

    public static Tensor Margin(this IDistance distance, Tensor a, double b) => distance.IsSimilarity ? b - a : a.sub(b);

    public static Tensor Margin(this IDistance distance, double a, Tensor b) => distance.IsSimilarity ? b.sub(a) : a - b;
}
