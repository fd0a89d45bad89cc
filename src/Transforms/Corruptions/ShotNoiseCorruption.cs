// CIFAR-10-C shot_noise: clip(Poisson(x·c) / c, 0, 1) — photon noise with c photons at full scale.
// Source: make_cifar_c.py (https://arxiv.org/abs/1903.12261), c = [500, 250, 100, 75, 50].
// Arguments: severity 1–5; exact Poisson draws per row (PoissonSampler) from (seed, row id, salt).
// Shapes: [M, C, H, W] → same.
// Example: ctx.Transforms.Corrupt(Corruption.ShotNoise, severity: 3)

using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Corruptions;

public static class ShotNoiseCorruption
{
    /// <summary>Photons at full scale, per severity (fewer photons, more noise).</summary>
    public static readonly IReadOnlyList<double> Severities = [500, 250, 100, 75, 50];

    public static Tensor Apply(Tensor images, RowRandomness rows, int severity)
    {
        var c = Severity.Pick(Severities, severity, "ShotNoise");
        using var scope = torch.NewDisposeScope();
        var counts = PoissonSampler.Sample(images * c, rows);
        return (counts / c).MoveToOuterDisposeScope();
    }
}
