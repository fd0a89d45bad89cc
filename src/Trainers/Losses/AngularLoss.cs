using MlNetRobust.Torch;

namespace MlNetRobust.Trainers.Losses;

/// <summary>
/// Angular loss — Wang, Zhou, Wen, Liu, Lin: "Deep Metric Learning with Angular Loss", ICCV 2017,
/// https://arxiv.org/abs/1708.01682. It bounds the angle at the negative of the triangle (anchor, positive,
/// negative), which is scale- and rotation-invariant, instead of a distance margin.
///
/// Formulation (pytorch-metric-learning's AngularLoss, the paper's N-pair form, eq. 8): every ordered
/// anchor–positive pair (a, p) of the batch (same label, a ≠ p), against every negative n (other label):
///     f(a, p, n) = 4 tan²α (x_a + x_p)ᵀ x_n − 2 (1 + tan²α) x_aᵀ x_p
///     loss(a, p) = log(1 + Σ_n exp f(a, p, n))          (0 for a pair without negatives)
///     loss       = reducer over the pairs (default: mean)
/// on L2-normalised embeddings x.
/// Arguments: alphaDegrees = 45 (40–45° is the usual range; pytorch-metric-learning defaults to 40),
/// reducer = mean over the pairs (pytorch-metric-learning's default for it).
/// Shapes: embeddings [N, D] float, labels [N] int64 → scalar. Memory O(P·N) for P positive pairs.
/// Example: <c>using var loss = new AngularLoss(alphaDegrees: 45).Compute(embeddings, labels);</c>
/// </summary>
public sealed class AngularLoss : MetricLoss
{
    public static class Defaults
    {
        public const double AlphaDegrees = 45;
    }

    public AngularLoss(double alphaDegrees = Defaults.AlphaDegrees, IReducer? reducer = null)
    {
        if (!(alphaDegrees > 0 && alphaDegrees < 90))
        {
            throw new ArgumentOutOfRangeException(nameof(alphaDegrees), alphaDegrees, "the angular loss's alpha is in degrees and must lie strictly between 0 and 90");
        }
        AlphaDegrees = alphaDegrees;
        Reducer = reducer ?? MeanReducer.Instance;
    }

    public override string Name => "angular";

    public override string Settings => $"alpha={Format(AlphaDegrees)}, reducer={Reducer.Name}";

    public double AlphaDegrees { get; }

    public IReducer Reducer { get; }

    /// <summary>tan²α, with α converted to radians as numpy's radians does.</summary>
    public double TanSquaredAlpha => Math.Pow(Math.Tan(AlphaDegrees * (Math.PI / 180)), 2);

    protected override Tensor ComputeCore(Tensor x, PairMasks masks)
    {
        var t2 = TanSquaredAlpha;
        // Anchor–positive pairs in row-major order, as torch.where(matches) lists them.
        var pairs = masks.Positive.nonzero();
        var a = pairs.select(1, 0);
        var p = pairs.select(1, 1);
        var anchors = x.index_select(0, a);
        var positives = x.index_select(0, p);
        var apDot = anchors.mul(positives).sum(1, keepdim: true);            // [P, 1]
        var centreDot = anchors.add(positives).mm(x.t());                    // [P, N]: (x_a + x_p)ᵀ x_n
        var f = centreDot.mul(4 * t2).sub(apDot.mul(2 * (1 + t2)));
        var isNegative = masks.Labels.index_select(0, a).unsqueeze(1).ne(masks.Labels.unsqueeze(0));
        var losses = LossMath.MaskedLogSumExp(f, isNegative, addOne: true);
        return Reducer.Reduce(losses);
    }
}
