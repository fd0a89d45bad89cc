using MlNetRobust.Models;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Attacks;

/// <summary>
/// PGD — Projected Gradient Descent (on the negative loss), L∞ or L2.
/// Paper: Madry, Makelov, Schmidt, Tsipras, Vladu, "Towards Deep Learning Models Resistant to Adversarial Attacks",
///        ICLR 2018, https://arxiv.org/abs/1706.06083
/// Norm: L∞ (default) or L2. Each step: L∞ x ← x + α·sign(∇J); L2 x ← x + α·∇J/‖∇J‖₂; then project onto the
///       eps-ball around the clean x (L∞: clamp the difference to ±eps; L2: scale it down to length ≤ eps) and into [0, 1].
/// Arguments: model; eps = 8/255 (L∞; 0.5 for L2, RobustBench's CIFAR-10 budget); stepSize α = 2/255 (L∞; 0.1 = eps/5
///            for L2, as torchattacks' PGDL2); steps = 10; randomStart = true (L∞: uniform in the eps-cube; L2: a
///            Gaussian direction scaled to a radius uniform in [0, eps], as torchattacks); norm = Linf;
///            Targeted = false (lowers CE to the target labels instead); Loss = null (see <see cref="AttackObjective"/>).
/// Shapes: images [N, C, H, W] float in [0, 1]; labels [N] int64; result [N, C, H, W].
/// With steps = 1, stepSize = eps and no random start, L∞ PGD is FGSM. On an embedding model with the default
/// distance objective the gradient vanishes at x, so a random start is required.
/// Example: using var adv = new Pgd(model).Perturb(images, labels, generator);
/// </summary>
public sealed class Pgd : Attack
{
    public static class Defaults
    {
        public const double Eps = 8.0 / 255;
        public const double StepSize = 2.0 / 255;
        public const int Steps = 10;
        public const bool RandomStart = true;
        public const double L2Eps = 0.5;
        public const double L2StepSize = 0.1;
    }

    public Pgd(IImageModel model, double? eps = null, double? stepSize = null, int steps = Defaults.Steps,
        bool randomStart = Defaults.RandomStart, AttackNorm norm = AttackNorm.Linf)
        : base(model, eps ?? (norm == AttackNorm.Linf ? Defaults.Eps : Defaults.L2Eps))
    {
        StepSize = stepSize ?? (norm == AttackNorm.Linf ? Defaults.StepSize : Defaults.L2StepSize);
        if (!(StepSize > 0) || !double.IsFinite(StepSize))
        {
            throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "the step size must be finite and > 0");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        (Steps, RandomStart, Norm) = (steps, randomStart, norm);
    }

    public double StepSize { get; }

    public int Steps { get; }

    public bool RandomStart { get; }

    public AttackNorm Norm { get; }

    protected override Tensor Craft(Tensor images, AttackObjective objective, AttackNoise noise)
    {
        if (objective.StationaryAtClean && !RandomStart)
        {
            throw new InvalidOperationException("PGD on an embedding model with the default distance objective needs randomStart: its gradient is zero at the clean images");
        }
        var adversarial = RandomStart ? Project(images, images.add(RandomDelta(images, noise))) : images.alias();
        for (var i = 0; i < Steps; i++)
        {
            adversarial = Iterate(adversarial, x =>
            {
                var gradient = objective.Gradient(x);
                var direction = Norm == AttackNorm.Linf ? gradient.sign() : gradient.div(L2Norms(gradient).add(1e-10));
                return Project(images, x.add(direction.mul(StepSize)));
            });
        }
        return adversarial;
    }

    /// <summary>Onto the eps-ball around the clean images, then into [0, 1] (which only shortens the difference).</summary>
    private Tensor Project(Tensor clean, Tensor candidate)
    {
        var delta = candidate.sub(clean);
        delta = Norm == AttackNorm.Linf
            ? delta.clamp(-Eps, Eps)
            : delta.mul(L2Norms(delta).clamp_min(1e-12).reciprocal().mul(Eps).clamp_max(1.0));
        return clean.add(delta).clamp(0.0, 1.0);
    }

    private Tensor RandomDelta(Tensor images, AttackNoise noise)
    {
        if (Norm == AttackNorm.Linf)
        {
            return noise.Uniform(images.shape, images, -Eps, Eps);
        }
        var direction = noise.Normal(images);
        var radius = noise.Uniform([images.size(0), 1, 1, 1], images, 0, Eps);
        return direction.div(L2Norms(direction).clamp_min(1e-12)).mul(radius);
    }
}
