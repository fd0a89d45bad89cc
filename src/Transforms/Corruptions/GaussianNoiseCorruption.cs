// CIFAR-10-C gaussian_noise: clip(x + N(0, c²), 0, 1).
// Source: make_cifar_c.py (https://arxiv.org/abs/1903.12261), c = [0.04, 0.06, 0.08, 0.09, 0.10].
// Arguments: severity 1–5; per-row noise from (seed, row id, salt).
// Shapes: [M, C, H, W] → same.
// Example: ctx.Transforms.Corrupt(Corruption.GaussianNoise, severity: 3)

using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Corruptions;

public static class GaussianNoiseCorruption
{
    /// <summary>σ per severity.</summary>
    public static readonly IReadOnlyList<double> Severities = [0.04, 0.06, 0.08, 0.09, 0.10];

    public static Tensor Apply(Tensor images, RowRandomness rows, int severity) =>
        GaussianNoiseTransformer.AddNoise(images, rows, Severity.Pick(Severities, severity, "GaussianNoise"));
}
