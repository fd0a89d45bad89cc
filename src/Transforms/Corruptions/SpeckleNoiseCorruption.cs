// CIFAR-10-C speckle_noise (an extra corruption): clip(x + x·N(0, c²), 0, 1) — multiplicative noise.
// Source: make_cifar_c.py (https://arxiv.org/abs/1903.12261), c = [0.06, 0.10, 0.12, 0.16, 0.20].
// Arguments: severity 1–5; per-row noise from (seed, row id, salt).
// Shapes: [M, C, H, W] → same.
// Example: ctx.Transforms.Corrupt(Corruption.SpeckleNoise, severity: 3)

using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Corruptions;

public static class SpeckleNoiseCorruption
{
    /// <summary>σ per severity.</summary>
    public static readonly IReadOnlyList<double> Severities = [0.06, 0.10, 0.12, 0.16, 0.20];

    public static Tensor Apply(Tensor images, RowRandomness rows, int severity)
    {
        var c = Severity.Pick(Severities, severity, "SpeckleNoise");
        using var scope = torch.NewDisposeScope();
        var noise = ImageFilters.Like(rows.Randn(images.shape[1..]), images);
        return images.add(images * noise, c).MoveToOuterDisposeScope();
    }
}
