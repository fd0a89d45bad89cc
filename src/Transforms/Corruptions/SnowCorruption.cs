// CIFAR-10-C snow: a layer of flakes — N(μ, σ²) noise zoomed by z (the reference's clipped_zoom), thresholded
// at t, clipped to [0, 1] and motion-blurred (ImageMagick kernel, radius r, σ_b, angle uniform in
// [−135°, −45°] per row, i.e. falling) — added twice (as is and turned 180°) to the image, which is first
// brightened towards max(x, 1.5·gray + 0.5) with weight 1 − w (gray = 0.299 R + 0.587 G + 0.114 B, OpenCV's).
// Source: make_cifar_c.py (https://arxiv.org/abs/1903.12261), (μ, σ, z, t, r, σ_b, w) =
//   [(0.1, 0.2, 1, 0.6, 8, 3, 0.95), (0.1, 0.2, 1, 0.5, 10, 4, 0.9), (0.15, 0.3, 1.75, 0.55, 10, 4, 0.9),
//    (0.25, 0.3, 2.25, 0.6, 12, 6, 0.85), (0.3, 0.3, 1.25, 0.65, 14, 12, 0.8)]. The reference passes the
//   layer through an 8-bit PNG for ImageMagick; ours stays float.
// Arguments: severity 1–5; per-row flakes and angle from (seed, row id, salt).
// Shapes: [M, 3, H, W] → same.
// Example: ctx.Transforms.Corrupt(Corruption.Snow, severity: 3)

using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Corruptions;

public static class SnowCorruption
{
    /// <summary>(mean, std, zoom, threshold, blur radius, blur σ, image weight) per severity.</summary>
    public static readonly IReadOnlyList<(double Mean, double Std, double Zoom, double Threshold, double Radius, double Sigma, double Weight)> Severities =
    [
        (0.1, 0.2, 1, 0.6, 8, 3, 0.95),
        (0.1, 0.2, 1, 0.5, 10, 4, 0.9),
        (0.15, 0.3, 1.75, 0.55, 10, 4, 0.9),
        (0.25, 0.3, 2.25, 0.6, 12, 6, 0.85),
        (0.3, 0.3, 1.25, 0.65, 14, 12, 0.8),
    ];

    public static Tensor Apply(Tensor images, RowRandomness rows, int severity)
    {
        var (mean, std, zoom, threshold, radius, sigma, weight) = Severity.Pick(Severities, severity, "Snow");
        var (h, w) = ((int)images.size(2), (int)images.size(3));
        using var scope = torch.NewDisposeScope();
        var flakes = ImageFilters.Like(rows.Randn([1, h, w]), images) * std + mean;
        flakes = ImageFilters.Separable(flakes, ZoomBlurCorruption.ClippedZoom(h, zoom), ZoomBlurCorruption.ClippedZoom(w, zoom));
        flakes = flakes.masked_fill(flakes.lt(threshold), 0.0).clamp(0, 1);
        flakes = MotionBlurCorruption.Blur(flakes, radius, sigma, rows.NextUniform(-135, -45));
        var r = images.narrow(1, 0, 1);
        var g = images.narrow(1, 1, 1);
        var b = images.narrow(1, 2, 1);
        var gray = r * 0.299 + g * 0.587 + b * 0.114;
        var whitened = images * weight + images.maximum(gray * 1.5 + 0.5) * (1 - weight);
        var result = whitened + flakes + flakes.flip(2, 3);
        return result.MoveToOuterDisposeScope();
    }
}
