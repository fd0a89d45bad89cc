using MlNetRobust.Torch;

namespace MlNetRobust.Trainers.Losses;

/// <summary>
/// Triplet margin loss — Weinberger, Saul: "Distance Metric Learning for Large Margin Nearest Neighbor
/// Classification", JMLR 2009, https://jmlr.org/papers/v10/weinberger09a.html; used for embeddings by
/// Schroff, Kalenichenko, Philbin: "FaceNet", CVPR 2015, https://arxiv.org/abs/1503.03832.
///
/// Formulation (pytorch-metric-learning's TripletMarginLoss with all triplets), over every triplet (a, p, n)
/// of the batch with label(p) = label(a), p ≠ a, label(n) ≠ label(a), and d the injected distance:
///     loss(a, p, n) = [d(a, p) − d(a, n) + margin]₊      (similarity: [s(a, n) − s(a, p) + margin]₊)
///     loss          = reducer over the triplets (default avg_non_zero)
/// Arguments: margin = 0.05, distance = euclidean, reducer = avg_non_zero.
/// Shapes: embeddings [N, D] float, labels [N] int64 → scalar. Memory O(N³): about 4 N³ bytes per
/// float32 temporary (67 MB at N = 256).
/// Example: <c>using var loss = new TripletMarginLoss(margin: 0.2).Compute(embeddings, labels);</c>
/// </summary>
public sealed class TripletMarginLoss : MetricLoss
{
    public static class Defaults
    {
        public const double Margin = 0.05;
    }

    public TripletMarginLoss(double margin = Defaults.Margin, IDistance? distance = null, IReducer? reducer = null)
    {
        Margin = margin;
        Distance = distance ?? EuclideanDistance.Instance;
        Reducer = reducer ?? AvgNonZeroReducer.Instance;
    }

    public override string Name => "triplet";

    public override string Settings => $"margin={Format(Margin)}, distance={Distance.Name}, reducer={Reducer.Name}";

    public double Margin { get; }

    public IDistance Distance { get; }

    public IReducer Reducer { get; }

    protected override Tensor ComputeCore(Tensor x, PairMasks masks)
    {
        var d = Distance.Pairwise(x, x);
        // [a, p, n]: how far d(a, p) is from beating d(a, n).
        var violation = Distance.Margin(d.unsqueeze(2), d.unsqueeze(1)).add(Margin).relu();
        var isTriplet = masks.Positive.unsqueeze(2).logical_and(masks.Negative.unsqueeze(1));
        return Reducer.Reduce(violation.masked_select(isTriplet));
    }
}
