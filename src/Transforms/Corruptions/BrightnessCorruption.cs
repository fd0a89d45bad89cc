// CIFAR-10-C brightness: in HSV, V ← clip(V + c, 0, 1), back to RGB (skimage rgb2hsv / hsv2rgb).
// Source: make_cifar_c.py (https://arxiv.org/abs/1903.12261), c = [0.05, 0.10, 0.15, 0.20, 0.30].
// Arguments: severity 1–5; deterministic.
// Shapes: [M, 3, H, W] → same.
// Example: ctx.Transforms.Corrupt(Corruption.Brightness, severity: 3)

using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Corruptions;

public static class BrightnessCorruption
{
    /// <summary>Added to V, per severity.</summary>
    public static readonly IReadOnlyList<double> Severities = [0.05, 0.10, 0.15, 0.20, 0.30];

    public static Tensor Apply(Tensor images, int severity)
    {
        var c = Severity.Pick(Severities, severity, "Brightness");
        using var scope = torch.NewDisposeScope();
        var hsv = ColorSpace.RgbToHsv(images);
        var value = (hsv.narrow(1, 2, 1) + c).clamp(0, 1);
        return ColorSpace.HsvToRgb(torch.cat([hsv.narrow(1, 0, 2), value], 1)).MoveToOuterDisposeScope();
    }
}
