// CIFAR-10-C impulse_noise: salt-and-pepper noise as skimage.util.random_noise(mode="s&p", amount=c): each value
// (pixel and channel independently) is replaced with probability c, by 1 or 0 with equal chance.
// Source: make_cifar_c.py (https://arxiv.org/abs/1903.12261), c = [0.01, 0.02, 0.03, 0.05, 0.07].
// Arguments: severity 1–5 (or any amount in [0, 1] via SaltAndPepper); per-row draws from (seed, row id, salt).
// Shapes: [M, C, H, W] → same.
// Example: ctx.Transforms.Corrupt(Corruption.ImpulseNoise, severity: 3)

using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Corruptions;

public static class ImpulseNoiseCorruption
{
    /// <summary>Fraction of values replaced, per severity.</summary>
    public static readonly IReadOnlyList<double> Severities = [0.01, 0.02, 0.03, 0.05, 0.07];

    public static Tensor Apply(Tensor images, RowRandomness rows, int severity) =>
        SaltAndPepper(images, rows, Severity.Pick(Severities, severity, "ImpulseNoise"));

    /// <summary>Replaces each value with probability <paramref name="amount"/>: by 1 (salt) or 0 (pepper), half each.</summary>
    public static Tensor SaltAndPepper(Tensor images, RowRandomness rows, double amount, double saltFraction = 0.5)
    {
        using var scope = torch.NewDisposeScope();
        var shape = images.shape[1..];
        var flipped = rows.Rand(shape).lt(amount).to(images.device);
        var salted = rows.Rand(shape).lt(saltFraction).to(images.device);
        var noisy = images.masked_fill(flipped.logical_and(salted), 1.0)
            .masked_fill_(flipped.logical_and(salted.logical_not()), 0.0);
        return noisy.MoveToOuterDisposeScope();
    }
}
