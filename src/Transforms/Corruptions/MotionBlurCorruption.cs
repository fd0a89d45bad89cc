// CIFAR-10-C motion_blur: ImageMagick's MotionBlurImage(radius, σ, angle) with the angle uniform in [−45°, 45°]
// per row — a one-sided line kernel: width = 2·ceil(radius) + 1 taps, tap i weighted exp(−i²/2σ²)
// (normalised) and reading the pixel at offset (ceil(i·cos a − 0.5), ceil(i·sin a − 0.5)), edge pixels
// repeated. Applied as one grouped conv2d with each row's line kernel.
// Source: make_cifar_c.py (https://arxiv.org/abs/1903.12261), (radius, σ) = [(6, 1), (6, 1.5), (6, 2), (8, 2),
//   (9, 2.5)]; kernel as ImageMagick's effect.c. The reference blurs the 8-bit image through Wand; ours is float.
// Arguments: severity 1–5 (or any radius/σ/angles via Blur); angle per row from (seed, row id, salt).
// Shapes: [M, C, H, W] → same.
// Example: ctx.Transforms.Corrupt(Corruption.MotionBlur, severity: 3)

using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Corruptions;

public static class MotionBlurCorruption
{
    /// <summary>(radius, σ) per severity.</summary>
    public static readonly IReadOnlyList<(double Radius, double Sigma)> Severities = [(6, 1), (6, 1.5), (6, 2), (8, 2), (9, 2.5)];

    /// <summary>The blur direction is uniform in [−MaxAngle, MaxAngle] degrees.</summary>
    public const double MaxAngle = 45;

    public static Tensor Apply(Tensor images, RowRandomness rows, int severity)
    {
        var (radius, sigma) = Severity.Pick(Severities, severity, "MotionBlur");
        return Blur(images, radius, sigma, rows.NextUniform(-MaxAngle, MaxAngle));
    }

    /// <summary>Motion-blurs image m of [M, C, H, W] along <paramref name="degrees"/>[m].</summary>
    public static Tensor Blur(Tensor images, double radius, double sigma, double[] degrees)
    {
        var width = 2 * (int)Math.Ceiling(radius) + 1;
        var weights = new double[width];
        for (var i = 0; i < width; i++)
        {
            weights[i] = Math.Exp(-(double)i * i / (2 * sigma * sigma));
        }
        var total = weights.Sum();
        var m = degrees.Length;
        var offsets = new (int X, int Y)[m, width];
        int minX = 0, maxX = 0, minY = 0, maxY = 0;
        for (var r = 0; r < m; r++)
        {
            var (sin, cos) = Math.SinCos(degrees[r] * Math.PI / 180);
            for (var i = 0; i < width; i++)
            {
                var o = ((int)Math.Ceiling(i * cos - 0.5), (int)Math.Ceiling(i * sin - 0.5));
                offsets[r, i] = o;
                (minX, maxX, minY, maxY) = (Math.Min(minX, o.Item1), Math.Max(maxX, o.Item1), Math.Min(minY, o.Item2), Math.Max(maxY, o.Item2));
            }
        }
        // One box holding every row's taps; conv2d cross-correlates, so tap (ox, oy) sits at (oy − minY, ox − minX).
        var (kh, kw) = (maxY - minY + 1, maxX - minX + 1);
        var kernels = new double[m * kh * kw];
        for (var r = 0; r < m; r++)
        {
            for (var i = 0; i < width; i++)
            {
                var (ox, oy) = offsets[r, i];
                kernels[(r * kh + oy - minY) * kw + ox - minX] += weights[i] / total;
            }
        }
        using var scope = torch.NewDisposeScope();
        var k = ImageFilters.Constant(kernels, [m, kh, kw], images);
        return ImageFilters.FilterPerImage(images, k, (-minX, maxX, -minY, maxY), BorderMode.Replicate).MoveToOuterDisposeScope();
    }
}
