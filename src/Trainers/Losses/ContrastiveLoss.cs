using MlNetRobust.Torch;

namespace MlNetRobust.Trainers.Losses;

/// <summary>
/// Contrastive loss — Hadsell, Chopra, LeCun: "Dimensionality Reduction by Learning an Invariant Mapping",
/// CVPR 2006, http://yann.lecun.com/exdb/publis/pdf/hadsell-chopra-lecun-06.pdf. Pulls positive pairs
/// together and pushes negative pairs apart until they clear a margin.
///
/// Formulation (pytorch-metric-learning's ContrastiveLoss), over every ordered pair of the batch, with
/// d the injected distance:
///     positive pair: [d − posMargin]₊      negative pair: [negMargin − d]₊
///     loss = reducer(positive-pair losses) + reducer(negative-pair losses)
/// (for a similarity the signs flip: [posMargin − s]₊ and [s − negMargin]₊).
/// Arguments: distance = euclidean, posMargin = 0 and negMargin = 1 for a distance (1 and 0 for cosine
/// similarity), reducer = avg_non_zero.
/// Shapes: embeddings [N, D] float, labels [N] int64 → scalar. Memory O(N²).
/// Example: <c>using var loss = new ContrastiveLoss(negMargin: 0.8).Compute(embeddings, labels);</c>
/// </summary>
public sealed class ContrastiveLoss : MetricLoss
{
    public static class Defaults
    {
        public const double DistancePosMargin = 0;
        public const double DistanceNegMargin = 1;
        public const double SimilarityPosMargin = 1;
        public const double SimilarityNegMargin = 0;
    }

    public ContrastiveLoss(IDistance? distance = null, double? posMargin = null, double? negMargin = null, IReducer? reducer = null)
    {
        Distance = distance ?? EuclideanDistance.Instance;
        PosMargin = posMargin ?? (Distance.IsSimilarity ? Defaults.SimilarityPosMargin : Defaults.DistancePosMargin);
        NegMargin = negMargin ?? (Distance.IsSimilarity ? Defaults.SimilarityNegMargin : Defaults.DistanceNegMargin);
        Reducer = reducer ?? AvgNonZeroReducer.Instance;
    }

    public override string Name => "contrastive";

    public override string Settings => $"distance={Distance.Name}, pos={Format(PosMargin)}, neg={Format(NegMargin)}, reducer={Reducer.Name}";

    public IDistance Distance { get; }

    public double PosMargin { get; }

    public double NegMargin { get; }

    public IReducer Reducer { get; }

    protected override Tensor ComputeCore(Tensor x, PairMasks masks)
    {
        var d = Distance.Pairwise(x, x);
        var positive = Distance.Margin(d, PosMargin).relu().masked_select(masks.Positive);
        var negative = Distance.Margin(NegMargin, d).relu().masked_select(masks.Negative);
        return Reducer.Reduce(positive).add(Reducer.Reduce(negative));
    }
}
