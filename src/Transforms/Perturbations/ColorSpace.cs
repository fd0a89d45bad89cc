using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Perturbations;

/// <summary>
/// Colour conversions on batches [N, 3, H, W] with tensor ops (no per-pixel loops).
///
/// HSV follows torchvision's <c>_rgb2hsv</c> / skimage's <c>rgb2hsv</c>: V = max, S = (max − min) / max
/// (0 for black), H in [0, 1) from the sector of the largest channel (0 for greys). The inverse uses the
/// closed form f(n) = V − V·S·clamp(min(k, 4 − k), 0, 1) with k = (n + 6H) mod 6 and n = 5, 3, 1 for R, G, B,
/// which equals the six-sector table of torchvision's <c>_hsv2rgb</c>. A round trip is exact to ~1e-6.
/// Example: <c>var hsv = ColorSpace.RgbToHsv(images);</c>
/// </summary>
public static class ColorSpace
{
    /// <summary>torchvision's (ITU-R 601-2 luma) weights, as <c>rgb_to_grayscale</c>.</summary>
    public static readonly double[] GrayWeights = [0.2989, 0.587, 0.114];

    /// <summary>[N, 3, H, W] RGB → [N, 1, H, W] luma.</summary>
    public static Tensor Grayscale(Tensor rgb)
    {
        using var scope = torch.NewDisposeScope();
        var gray = rgb.narrow(1, 0, 1) * GrayWeights[0] + rgb.narrow(1, 1, 1) * GrayWeights[1] + rgb.narrow(1, 2, 1) * GrayWeights[2];
        return gray.MoveToOuterDisposeScope();
    }

    /// <summary>[N, 3, H, W] RGB in [0, 1] → HSV with every channel in [0, 1] (hue as a fraction of a turn).</summary>
    public static Tensor RgbToHsv(Tensor rgb)
    {
        using var scope = torch.NewDisposeScope();
        var r = rgb.narrow(1, 0, 1);
        var g = rgb.narrow(1, 1, 1);
        var b = rgb.narrow(1, 2, 1);
        var maxc = rgb.max(1, keepdim: true).values;
        var minc = rgb.min(1, keepdim: true).values;
        var chroma = maxc - minc;
        var grey = chroma.eq(0);
        var ones = torch.ones_like(maxc);
        var s = chroma / torch.where(grey, ones, maxc);
        var divisor = torch.where(grey, ones, chroma);
        var rc = (maxc - r) / divisor;
        var gc = (maxc - g) / divisor;
        var bc = (maxc - b) / divisor;
        var isR = maxc.eq(r);
        var isG = maxc.eq(g).logical_and(isR.logical_not());
        // Sector of the largest channel; greys give 0 (rc = gc = bc = 0 there).
        var h = torch.where(isR, bc - gc, torch.where(isG, (rc - bc) + 2.0, (gc - rc) + 4.0));
        h = (h / 6.0 + 1.0).remainder(1.0);
        return torch.cat([h, s, maxc], 1).MoveToOuterDisposeScope();
    }

    /// <summary>[N, 3, H, W] HSV (all in [0, 1]) → RGB in [0, 1].</summary>
    public static Tensor HsvToRgb(Tensor hsv)
    {
        using var scope = torch.NewDisposeScope();
        var h = hsv.narrow(1, 0, 1);
        var s = hsv.narrow(1, 1, 1);
        var v = hsv.narrow(1, 2, 1);
        var n = torch.tensor(new[] { 5f, 3f, 1f }, 1, 3, 1, 1).to(hsv.dtype).to(hsv.device);
        var k = (n + h * 6.0).remainder(6.0);
        var ramp = k.minimum(4.0 - k).clamp(0, 1);
        var rgb = v - v * s * ramp;
        return rgb.clamp(0, 1).MoveToOuterDisposeScope();
    }
}
