using MlNetRobust.Torch;

namespace MlNetRobust.Trainers.Losses;

/// <summary>
/// Circle loss — Sun, Cheng, Zhang, Zhang, Zheng, Wang, Wei: "Circle Loss: A Unified Perspective of Pair
/// Similarity Optimization", CVPR 2020, https://arxiv.org/abs/2002.10857. Each similarity is re-weighted by
/// how far it is from its optimum, so the decision boundary is a circle rather than a line.
///
/// Formulation (pytorch-metric-learning's CircleLoss, the paper's eq. 6 with pair labels), on the cosine
/// similarities s of the L2-normalised embeddings; for each anchor i, over its positives P(i) (same label,
/// j ≠ i) and negatives N(i) (other labels):
///     α_p = [1 + m − s_p]₊,  α_n = [s_n + m]₊          (detached: weights, not optimised)
///     Δ_p = 1 − m,           Δ_n = m
///     loss(i) = softplus( logsumexp_{p∈P(i)} (−γ α_p (s_p − Δ_p)) + logsumexp_{n∈N(i)} (γ α_n (s_n − Δ_n)) )
///     loss    = reducer over the anchors (default avg_non_zero: the mean over anchors whose loss is above 0),
/// and an anchor without a positive or without a negative contributes 0.
/// Arguments: m = 0.25 (relaxation), gamma = 256 (scale), reducer = avg_non_zero. The paper's settings per
/// task: face recognition m 0.25 / γ 256, person re-identification 0.25 / 128, fine-grained retrieval
/// 0.4 / 80 (pytorch-metric-learning's own defaults are 0.4 / 80).
/// Shapes: embeddings [N, D] float, labels [N] int64 → scalar. Memory O(N²).
/// Example: <c>using var loss = new CircleLoss(m: 0.25, gamma: 256).Compute(embeddings, labels);</c>
/// </summary>
public sealed class CircleLoss : MetricLoss
{
    public static class Defaults
    {
        public const double M = 0.25;
        public const double Gamma = 256;
    }

    public CircleLoss(double m = Defaults.M, double gamma = Defaults.Gamma, IReducer? reducer = null)
    {
        if (!(m >= 0 && m < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(m), m, "the circle loss's relaxation m must lie in [0, 1)");
        }
        if (!(gamma > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "the circle loss's scale gamma must be positive");
        }
        (M, Gamma, Reducer) = (m, gamma, reducer ?? AvgNonZeroReducer.Instance);
    }

    public override string Name => "circle";

    public override string Settings => $"m={Format(M)}, gamma={Format(Gamma)}, reducer={Reducer.Name}";

    public double M { get; }

    public double Gamma { get; }

    public IReducer Reducer { get; }

    protected override Tensor ComputeCore(Tensor x, PairMasks masks)
    {
        var s = CosineSimilarity.Instance.Pairwise(x, x);
        var fixedS = s.detach();
        var alphaP = fixedS.neg().add(1 + M).relu();      // [1 + m − s]₊
        var alphaN = fixedS.add(M).relu();                // [s − (−m)]₊
        var logitP = alphaP.mul(s.sub(1 - M)).mul(-Gamma);
        var logitN = alphaN.mul(s.sub(M)).mul(Gamma);
        var lseP = LossMath.MaskedLogSumExp(logitP, masks.Positive, addOne: false);
        var lseN = LossMath.MaskedLogSumExp(logitN, masks.Negative, addOne: false);
        var losses = torch.nn.functional.softplus(lseP.add(lseN));
        var valid = masks.Positive.sum(1).gt(0).logical_and(masks.Negative.sum(1).gt(0));
        losses = torch.where(valid, losses, torch.zeros_like(losses));
        return Reducer.Reduce(losses);
    }
}
