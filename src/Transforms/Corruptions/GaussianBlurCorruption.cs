// CIFAR-10-C gaussian_blur (an extra corruption): skimage.filters.gaussian(x, σ) per channel — scipy's
// separable kernel of radius int(4σ + 0.5), border mode "nearest" (edge pixels repeated).
// Source: make_cifar_c.py (https://arxiv.org/abs/1903.12261), σ = [0.4, 0.6, 0.7, 0.8, 1.0].
// Arguments: severity 1–5; deterministic.
// Shapes: [M, C, H, W] → same.
// Example: ctx.Transforms.Corrupt(Corruption.GaussianBlur, severity: 3)

using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Corruptions;

public static class GaussianBlurCorruption
{
    /// <summary>σ in pixels, per severity.</summary>
    public static readonly IReadOnlyList<double> Severities = [0.4, 0.6, 0.7, 0.8, 1.0];

    public static Tensor Apply(Tensor images, int severity) =>
        ImageFilters.GaussianBlur(images, Severity.Pick(Severities, severity, "GaussianBlur"), BorderMode.Replicate, truncate: 4.0);
}
