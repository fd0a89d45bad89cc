// CIFAR-10-C contrast: (x − μ)·c + μ with μ each channel's mean over the image, clipped to [0, 1].
// Source: make_cifar_c.py (https://arxiv.org/abs/1903.12261), c = [0.75, 0.5, 0.4, 0.3, 0.15]. (Unlike
//   torchvision's adjust_contrast in ColorJitter, which blends with the mean grey level.)
// Arguments: severity 1–5; deterministic.
// Shapes: [M, C, H, W] → same.
// Example: ctx.Transforms.Corrupt(Corruption.Contrast, severity: 3)

using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Corruptions;

public static class ContrastCorruption
{
    /// <summary>Contrast factor per severity.</summary>
    public static readonly IReadOnlyList<double> Severities = [0.75, 0.5, 0.4, 0.3, 0.15];

    public static Tensor Apply(Tensor images, int severity)
    {
        var c = Severity.Pick(Severities, severity, "Contrast");
        using var scope = torch.NewDisposeScope();
        var means = images.mean([2, 3], keepdim: true);
        return ((images - means) * c + means).MoveToOuterDisposeScope();
    }
}
