// CIFAR-10-C defocus_blur: convolution with an anti-aliased disk — the 17×17 indicator of x² + y² ≤ r²,
// normalised, then blurred by OpenCV's 3×3 Gaussian of σ = alias_blur — via conv2d, border reflect-101
// (cv2.filter2D's default).
// Source: make_cifar_c.py (https://arxiv.org/abs/1903.12261), (r, alias_blur) = [(0.3, 0.4), (0.4, 0.5),
//   (0.5, 0.6), (1, 0.2), (1.5, 0.1)].
// Arguments: severity 1–5 (or any radius via Defocus); deterministic.
// Shapes: [M, C, H, W] → same. The kernel is cropped to its non-zero support (at most 5×5 here).
// Example: ctx.Transforms.Corrupt(Corruption.DefocusBlur, severity: 3)

using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Corruptions;

public static class DefocusBlurCorruption
{
    /// <summary>(disk radius, anti-aliasing σ) per severity.</summary>
    public static readonly IReadOnlyList<(double Radius, double AliasBlur)> Severities = [(0.3, 0.4), (0.4, 0.5), (0.5, 0.6), (1, 0.2), (1.5, 0.1)];

    public static Tensor Apply(Tensor images, int severity)
    {
        var (radius, aliasBlur) = Severity.Pick(Severities, severity, "DefocusBlur");
        return Defocus(images, radius, aliasBlur);
    }

    public static Tensor Defocus(Tensor images, double radius, double aliasBlur) =>
        ImageFilters.Filter2D(images, Disk(radius, aliasBlur), BorderMode.Reflect101);

    /// <summary>The reference's <c>disk(radius, alias_blur)</c>, cropped to its non-zero part (odd, centred).</summary>
    public static double[,] Disk(double radius, double aliasBlur)
    {
        var half = radius <= 8 ? 8 : (int)radius;
        var ksize = radius <= 8 ? 3 : 5;
        var n = 2 * half + 1;
        var disk = new double[n, n];
        var count = 0.0;
        for (var y = 0; y < n; y++)
        {
            for (var x = 0; x < n; x++)
            {
                var (dx, dy) = (x - half, y - half);
                if (dx * dx + dy * dy <= radius * radius)
                {
                    disk[y, x] = 1;
                    count++;
                }
            }
        }
        // cv2.GaussianBlur: separable getGaussianKernel(ksize, σ), border reflect-101.
        var g = new double[ksize];
        for (var i = 0; i < ksize; i++)
        {
            var t = i - (ksize - 1) * 0.5;
            g[i] = Math.Exp(-0.5 * t * t / (aliasBlur * aliasBlur));
        }
        var gsum = g.Sum();
        var blurred = Convolve(Convolve(disk, g, gsum, horizontal: true, n), g, gsum, horizontal: false, n);
        // Crop to the smallest centred square holding every non-zero weight.
        var reach = 0;
        for (var y = 0; y < n; y++)
        {
            for (var x = 0; x < n; x++)
            {
                if (blurred[y, x] != 0)
                {
                    reach = Math.Max(reach, Math.Max(Math.Abs(x - half), Math.Abs(y - half)));
                }
            }
        }
        var size = 2 * reach + 1;
        var kernel = new double[size, size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                kernel[y, x] = blurred[y - reach + half, x - reach + half] / count;
            }
        }
        return kernel;
    }

    private static double[,] Convolve(double[,] image, double[] g, double gsum, bool horizontal, int n)
    {
        var r = g.Length / 2;
        var result = new double[n, n];
        for (var y = 0; y < n; y++)
        {
            for (var x = 0; x < n; x++)
            {
                var sum = 0.0;
                for (var i = -r; i <= r; i++)
                {
                    var (yy, xx) = horizontal ? (y, Reflect101(x + i, n)) : (Reflect101(y + i, n), x);
                    sum += g[i + r] * image[yy, xx];
                }
                result[y, x] = sum / gsum;
            }
        }
        return result;
    }

    private static int Reflect101(int i, int n) => i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
}
