// CIFAR-10-C saturate (an extra corruption): in HSV, S ← clip(S·a + b, 0, 1), back to RGB. Severities 1–2
// desaturate, 3–5 oversaturate, so the change is not monotone in severity.
// Source: make_cifar_c.py (https://arxiv.org/abs/1903.12261), (a, b) = [(0.3, 0), (0.1, 0), (1.5, 0), (2, 0.1), (2.5, 0.2)].
// Arguments: severity 1–5; deterministic.
// Shapes: [M, 3, H, W] → same.
// Example: ctx.Transforms.Corrupt(Corruption.Saturate, severity: 3)

using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Corruptions;

public static class SaturateCorruption
{
    /// <summary>(scale, offset) of S, per severity.</summary>
    public static readonly IReadOnlyList<(double Scale, double Offset)> Severities = [(0.3, 0), (0.1, 0), (1.5, 0), (2, 0.1), (2.5, 0.2)];

    public static Tensor Apply(Tensor images, int severity)
    {
        var (scale, offset) = Severity.Pick(Severities, severity, "Saturate");
        using var scope = torch.NewDisposeScope();
        var hsv = ColorSpace.RgbToHsv(images);
        var saturation = (hsv.narrow(1, 1, 1) * scale + offset).clamp(0, 1);
        return ColorSpace.HsvToRgb(torch.cat([hsv.narrow(1, 0, 1), saturation, hsv.narrow(1, 2, 1)], 1)).MoveToOuterDisposeScope();
    }
}
