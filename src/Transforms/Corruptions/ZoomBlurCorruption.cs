// CIFAR-10-C zoom_blur: the mean of the image and its centre zooms by factors 1.00, 1.01, … (numpy's
// arange(1, stop, 0.01), whose float end-point rule gives 7, 12, 16, 21 and 26 factors). Each zoom is the
// reference's clipped_zoom — crop the centre ceil(n / z) pixels, scipy.ndimage.zoom(order = 1) them to
// round(ceil(n / z)·z), trim the centre n — written as an exact linear map per axis, so the whole blur is one
// matrix: Y = (X + Σ_z A_z X B_zᵀ) / (1 + #z), done as one matmul on the flattened image (Kronecker form).
// Source: make_cifar_c.py (https://arxiv.org/abs/1903.12261), stop = [1.06, 1.11, 1.16, 1.21, 1.26].
// Arguments: severity 1–5; deterministic.
// Shapes: [M, C, H, W] → same (H·W ≤ 4096 uses the cached H·W × H·W matrix; larger images a loop over zooms).
// Example: ctx.Transforms.Corrupt(Corruption.ZoomBlur, severity: 3)

using System.Collections.Concurrent;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Corruptions;

public static class ZoomBlurCorruption
{
    /// <summary>The (exclusive) end of the zoom factors 1, 1.01, …, per severity.</summary>
    public static readonly IReadOnlyList<double> Severities = [1.06, 1.11, 1.16, 1.21, 1.26];

    private const int KroneckerLimit = 4096;

    private static readonly ConcurrentDictionary<(int Severity, long H, long W), float[]> s_kronecker = new();

    /// <summary>The zoom factors of a severity, as numpy's arange(1, stop, 0.01) computes them.</summary>
    public static double[] Factors(int severity)
    {
        var stop = Severity.Pick(Severities, severity, "ZoomBlur");
        var count = (int)Math.Ceiling((stop - 1.0) / 0.01);
        return Enumerable.Range(0, count).Select(i => 1.0 + i * 0.01).ToArray();
    }

    public static Tensor Apply(Tensor images, int severity)
    {
        var (h, w) = (images.size(2), images.size(3));
        using var scope = torch.NewDisposeScope();
        Tensor result;
        if (h * w <= KroneckerLimit)
        {
            var k = s_kronecker.GetOrAdd((severity, h, w), key => Kronecker(Factors(key.Severity), (int)key.H, (int)key.W));
            var kt = ImageFilters.Like(torch.tensor(k, h * w, h * w), images);
            result = images.flatten(2).matmul(kt).view(images.shape);
        }
        else
        {
            var factors = Factors(severity);
            result = images.clone();
            foreach (var z in factors)
            {
                result.add_(ImageFilters.Separable(images, ClippedZoom((int)h, z), ClippedZoom((int)w, z)));
            }
            result.div_(factors.Length + 1);
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The reference's clipped_zoom along one axis of length n as a matrix [n, n]: linear interpolation (scipy
    /// zoom, order 1, corners aligned) of the centre crop, trimmed to the centre n samples.
    /// </summary>
    public static double[,] ClippedZoom(int n, double z)
    {
        var crop = (int)Math.Ceiling(n / z);
        var top = (n - crop) / 2;
        var zoomed = (int)Math.Round(crop * z, MidpointRounding.ToEven); // Python's round()
        var trim = (zoomed - n) / 2;
        var a = new double[n, n];
        for (var j = 0; j < n; j++)
        {
            var source = zoomed == 1 ? 0 : (j + trim) * (double)(crop - 1) / (zoomed - 1);
            var i0 = Math.Min((int)Math.Floor(source), crop - 1);
            var frac = source - i0;
            a[j, top + i0] += 1 - frac;
            if (frac > 0)
            {
                a[j, top + i0 + 1] += frac;
            }
        }
        return a;
    }

    // (I + Σ_z A_z ⊗ B_z)ᵀ / (1 + #z) as a row-major [H·W, H·W] array, so that Y_flat = X_flat · K.
    private static float[] Kronecker(double[] factors, int h, int w)
    {
        var n = h * w;
        var k = new double[(long)n * n];
        for (var p = 0; p < n; p++)
        {
            k[(long)p * n + p] += 1;
        }
        foreach (var z in factors)
        {
            var a = ClippedZoom(h, z);
            var b = ClippedZoom(w, z);
            var aTaps = Taps(a);
            var bTaps = Taps(b);
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    foreach (var (sy, wy) in aTaps[y])
                    {
                        foreach (var (sx, wx) in bTaps[x])
                        {
                            // Output (y, x) reads input (sy, sx): K[input, output] for X_flat · K.
                            k[((long)sy * w + sx) * n + y * w + x] += wy * wx;
                        }
                    }
                }
            }
        }
        var scale = 1.0 / (factors.Length + 1);
        return Array.ConvertAll(k, v => (float)(v * scale));
    }

    private static List<(int Index, double Weight)>[] Taps(double[,] m)
    {
        var rows = new List<(int, double)>[m.GetLength(0)];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = [];
            for (var j = 0; j < m.GetLength(1); j++)
            {
                if (m[i, j] != 0)
                {
                    rows[i].Add((j, m[i, j]));
                }
            }
        }
        return rows;
    }
}
