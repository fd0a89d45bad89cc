// CIFAR-10-C pixelate: PIL resize to int(n·c) with the BOX filter, then back to n with BOX. PIL's BOX
// weights are reproduced exactly (precompute_coeffs in Pillow's Resample.c: pixels whose centres fall in the
// output pixel's box, equally weighted; upscaling by BOX is nearest neighbour), as one matrix per axis:
// Y = (U_h D_h) X (U_w D_w)ᵀ.
// Source: make_cifar_c.py (https://arxiv.org/abs/1903.12261), c = [0.95, 0.9, 0.85, 0.75, 0.65]. PIL rounds to
//   8 bits after each pass; we stay in float.
// Arguments: severity 1–5 (or any factor via Pixelate); deterministic.
// Shapes: [M, C, H, W] → same.
// Example: ctx.Transforms.Corrupt(Corruption.Pixelate, severity: 3)

using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Corruptions;

public static class PixelateCorruption
{
    /// <summary>Scale of the intermediate image, per severity.</summary>
    public static readonly IReadOnlyList<double> Severities = [0.95, 0.9, 0.85, 0.75, 0.65];

    public static Tensor Apply(Tensor images, int severity) => Pixelate(images, Severity.Pick(Severities, severity, "Pixelate"));

    /// <summary>Down to int(size·factor) and back up, both with PIL's BOX filter.</summary>
    public static Tensor Pixelate(Tensor images, double factor)
    {
        var (h, w) = ((int)images.size(2), (int)images.size(3));
        var (sh, sw) = (Math.Max(1, (int)(h * factor)), Math.Max(1, (int)(w * factor)));
        return ImageFilters.Separable(images, Multiply(BoxResize(sh, h), BoxResize(h, sh)), Multiply(BoxResize(sw, w), BoxResize(w, sw)));
    }

    /// <summary>PIL's BOX resampling from <paramref name="inSize"/> to <paramref name="outSize"/> as a matrix [outSize, inSize].</summary>
    public static double[,] BoxResize(int inSize, int outSize)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = 0.5 * filterScale;
        var m = new double[outSize, inSize];
        for (var o = 0; o < outSize; o++)
        {
            var center = (o + 0.5) * scale;
            var xmin = Math.Max(0, (int)(center - support + 0.5));
            var xmax = Math.Min(inSize, (int)(center + support + 0.5));
            var total = 0.0;
            for (var x = xmin; x < xmax; x++)
            {
                var t = (x - center + 0.5) / filterScale;
                var weight = t > -0.5 && t <= 0.5 ? 1.0 : 0.0; // Pillow's box_filter
                m[o, x] = weight;
                total += weight;
            }
            for (var x = xmin; x < xmax && total != 0; x++)
            {
                m[o, x] /= total;
            }
        }
        return m;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var (n, k, p) = (a.GetLength(0), a.GetLength(1), b.GetLength(1));
        var c = new double[n, p];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++)
            {
                for (var t = 0; t < k; t++)
                {
                    c[i, j] += a[i, t] * b[t, j];
                }
            }
        }
        return c;
    }
}
