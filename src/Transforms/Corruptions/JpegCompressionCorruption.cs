// CIFAR-10-C jpeg_compression: a JPEG encode/decode round trip at the given quality, as baseline libjpeg does it
// (PIL's image.save(quality=q) then open), with tensor ops only:
//   8-bit RGB → YCbCr (JFIF, full range) → chroma 4:2:0 (2×2 means, PIL's default) → level shift −128 →
//   8×8 block DCT-II (D·B·Dᵀ as batched matmuls) → quantise with the IJG tables of ITU T.81 Annex K scaled by
//   quality as libjpeg's jpeg_quality_scaling (q < 50: 5000/q, else 200 − 2q; (t·s + 50)/100 clamped to
//   [1, 255]) → dequantise → inverse DCT → chroma upsampled with libjpeg's "fancy" triangle filter
//   (= bilinear ×2, align_corners false) → RGB, rounded to 8 bits.
// Source: make_cifar_c.py (https://arxiv.org/abs/1903.12261), quality = [80, 65, 58, 50, 40]; ITU-T T.81 /
//   IJG libjpeg jcparam.c. Differences from libjpeg: float DCT (libjpeg's islow is integer), round-half-even
//   quantisation, no entropy coding (it is lossless anyway). Images whose sides are not multiples of the
//   16-pixel MCU are padded by edge replication, as libjpeg does, and cropped back.
// Arguments: severity 1–5, or any quality 1–100 and chroma subsampling on/off via Compress; deterministic.
// Shapes: [M, 3, H, W] → same.
// Example: var jpeg = JpegCompressionCorruption.Compress(images, quality: 10);

using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Corruptions;

public static class JpegCompressionCorruption
{
    /// <summary>JPEG quality per severity.</summary>
    public static readonly IReadOnlyList<int> Severities = [80, 65, 58, 50, 40];

    /// <summary>ITU T.81 Annex K.1 luminance table, row-major.</summary>
    public static readonly IReadOnlyList<int> LuminanceTable =
    [
        16, 11, 10, 16, 24, 40, 51, 61,
        12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77,
        24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101,
        72, 92, 95, 98, 112, 100, 103, 99,
    ];

    /// <summary>ITU T.81 Annex K.2 chrominance table, row-major.</summary>
    public static readonly IReadOnlyList<int> ChrominanceTable =
    [
        17, 18, 24, 47, 99, 99, 99, 99,
        18, 21, 26, 66, 99, 99, 99, 99,
        24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
    ];

    public static Tensor Apply(Tensor images, int severity) => Compress(images, Severity.Pick(Severities, severity, "JpegCompression"));

    /// <summary>libjpeg's quantisation table for a quality (jpeg_set_quality with force_baseline).</summary>
    public static int[] ScaledTable(IReadOnlyList<int> table, int quality)
    {
        quality = Math.Clamp(quality, 1, 100);
        var scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
        return table.Select(t => Math.Clamp((t * scale + 50) / 100, 1, 255)).ToArray();
    }

    /// <summary>The orthonormal 8×8 DCT-II matrix D (coefficients = D · block · Dᵀ), which is JPEG's FDCT.</summary>
    public static double[,] DctMatrix()
    {
        var d = new double[8, 8];
        for (var u = 0; u < 8; u++)
        {
            var c = u == 0 ? Math.Sqrt(1.0 / 8) : Math.Sqrt(2.0 / 8);
            for (var x = 0; x < 8; x++)
            {
                d[u, x] = c * Math.Cos((2 * x + 1) * u * Math.PI / 16);
            }
        }
        return d;
    }

    /// <summary>A JPEG round trip of [M, 3, H, W] RGB in [0, 1] at <paramref name="quality"/> (1–100).</summary>
    public static Tensor Compress(Tensor images, int quality, bool chromaSubsampling = true)
    {
        if (quality is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(quality), quality, "JPEG quality must be 1 to 100");
        }
        if (images.ndim != 4 || images.size(1) != 3)
        {
            throw new ArgumentException($"JPEG needs RGB images [M, 3, H, W], got {images.Describe()}", nameof(images));
        }
        using var scope = torch.NewDisposeScope();
        var (h, w) = (images.size(2), images.size(3));
        var mcu = chromaSubsampling ? 16 : 8;
        var (ph, pw) = ((mcu - h % mcu) % mcu, (mcu - w % mcu) % mcu);
        // The encoder sees 8-bit samples; libjpeg pads partial MCUs by repeating the last row and column.
        var rgb = ImageFilters.Pad((images.to(ScalarType.Float32) * 255.0).round(), 0, pw, 0, ph, BorderMode.Replicate);
        var (r, g, b) = (rgb.narrow(1, 0, 1), rgb.narrow(1, 1, 1), rgb.narrow(1, 2, 1));
        var y = (r * 0.299 + g * 0.587 + b * 0.114).round();
        var cb = (r * -0.168735892 + g * -0.331264108 + b * 0.5 + 128.0).round().clamp(0, 255);
        var cr = (r * 0.5 + g * -0.418687589 + b * -0.081312411 + 128.0).round().clamp(0, 255);
        if (chromaSubsampling)
        {
            cb = torch.nn.functional.avg_pool2d(cb, 2).round();
            cr = torch.nn.functional.avg_pool2d(cr, 2).round();
        }
        var dct = ImageFilters.Matrix(DctMatrix(), y);
        var lumaTable = Table(ScaledTable(LuminanceTable, quality), y);
        var chromaTable = Table(ScaledTable(ChrominanceTable, quality), y);
        y = Blocks(y, dct, lumaTable);
        cb = Blocks(cb, dct, chromaTable);
        cr = Blocks(cr, dct, chromaTable);
        if (chromaSubsampling)
        {
            cb = torch.nn.functional.interpolate(cb, h + ph, w + pw, InterpolationMode.Bilinear, alignCorners: false);
            cr = torch.nn.functional.interpolate(cr, h + ph, w + pw, InterpolationMode.Bilinear, alignCorners: false);
        }
        var (cbc, crc) = (cb - 128.0, cr - 128.0);
        var outR = y + crc * 1.402;
        var outG = y - cbc * 0.344136286 - crc * 0.714136286;
        var outB = y + cbc * 1.772;
        var result = torch.cat([outR, outG, outB], 1).round().clamp(0, 255).div(255.0)
            .narrow(2, 0, h).narrow(3, 0, w).to(images.dtype);
        return result.MoveToOuterDisposeScope();
    }

    private static Tensor Table(int[] table, Tensor like) =>
        ImageFilters.Constant(Array.ConvertAll(table, v => (double)v), [8, 8], like);

    // Level shift, blockwise DCT, quantise/dequantise, inverse DCT, un-shift, round to 8-bit samples:
    // one plane [M, 1, H, W] (H, W multiples of 8) → same.
    private static Tensor Blocks(Tensor plane, Tensor dct, Tensor table)
    {
        using var scope = torch.NewDisposeScope();
        var (m, h, w) = (plane.size(0), plane.size(2), plane.size(3));
        var blocks = (plane - 128.0).reshape(m, h / 8, 8, w / 8, 8).permute(0, 1, 3, 2, 4); // [M, H/8, W/8, 8, 8]
        var coefficients = dct.matmul(blocks).matmul(dct.t());
        var quantised = (coefficients / table).round() * table;
        var restored = dct.t().matmul(quantised).matmul(dct);
        var result = (restored.permute(0, 1, 3, 2, 4).reshape(m, 1, h, w) + 128.0).round().clamp(0, 255);
        return result.MoveToOuterDisposeScope();
    }
}
