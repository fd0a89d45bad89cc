using MlNetRobust.Models;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Attacks;

/// <summary>
/// FGSM — Fast Gradient Sign Method.
/// Paper: Goodfellow, Shlens, Szegedy, "Explaining and Harnessing Adversarial Examples", ICLR 2015,
///        https://arxiv.org/abs/1412.6572
/// Norm: L∞.   x' = clamp(x + eps · sign(∇ₓ J(x)), 0, 1)   (targeted: J = −CE to the target, so it steps toward it)
/// Arguments: model (IImageModel, images in [0, 1]); eps = 8/255 (per-pixel budget in [0, 1] pixel space);
///            Targeted = false; Loss = null (see <see cref="AttackObjective"/>).
/// Shapes: images [N, C, H, W] float in [0, 1]; labels [N] int64; result [N, C, H, W].
/// Embedding models with the default distance objective: its gradient vanishes at x, so FGSM becomes R+FGSM
/// (Tramèr et al., ICLR 2018, https://arxiv.org/abs/1705.07204): a random-sign step of eps/2, then a gradient-sign
/// step of eps/2 — still within eps of x.
/// Example: using var adv = new Fgsm(model, eps: 8 / 255.0).Perturb(images, labels);
/// </summary>
public sealed class Fgsm(IImageModel model, double eps = Fgsm.Defaults.Eps) : Attack(model, eps)
{
    public static class Defaults
    {
        public const double Eps = 8.0 / 255;
    }

    protected override Tensor Craft(Tensor images, AttackObjective objective, AttackNoise noise)
    {
        var start = images;
        var step = Eps;
        if (objective.StationaryAtClean)
        {
            var alpha = Eps / 2;
            start = images.add(noise.Normal(images).sign().mul(alpha)).clamp(0.0, 1.0);
            step = Eps - alpha;
        }
        using var gradient = objective.Gradient(start);
        return start.add(gradient.sign().mul(step)).clamp(0.0, 1.0);
    }
}
