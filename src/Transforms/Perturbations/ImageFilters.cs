using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Perturbations;

/// <summary>How a filter or resampler reads outside the image.</summary>
public enum BorderMode
{
    /// <summary>Zeros (or a constant).</summary>
    Constant,

    /// <summary>Mirror about the edge pixel, not repeating it (d c b | a b c d): OpenCV's BORDER_REFLECT_101, torch's "reflect".</summary>
    Reflect101,

    /// <summary>Mirror about the image edge, repeating the edge pixel (b a | a b c d): scipy's "reflect", numpy's "symmetric".</summary>
    Symmetric,

    /// <summary>Repeat the edge pixel (a a | a b c d): scipy's "nearest", OpenCV's BORDER_REPLICATE.</summary>
    Replicate,
}

/// <summary>
/// Batch filtering helpers shared by the perturbations and corruptions: padding, depthwise and per-row
/// convolutions, separable Gaussian blur and separable linear resampling (A·X·Bᵀ). Kernels are small arrays
/// built in C#; everything applied to pixels is a tensor op on the whole batch.
/// </summary>
public static class ImageFilters
{
    /// <summary>A constant tensor with the dtype and device of <paramref name="like"/>.</summary>
    public static Tensor Constant(double[] values, long[] shape, Tensor like)
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.tensor(values, shape).to(like.dtype);
        if (like.device.Type != DeviceType.CPU)
        {
            t = t.to(like.device);
        }
        return t.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <paramref name="t"/> with the dtype and device of <paramref name="like"/> (per-row noise is drawn on the
    /// CPU, where the seeded generators live).
    /// </summary>
    public static Tensor Like(Tensor t, Tensor like)
    {
        var typed = t.dtype == like.dtype ? t.alias() : t.to(like.dtype);
        if (like.device.Type == DeviceType.CPU)
        {
            return typed;
        }
        using (typed)
        {
            return typed.to(like.device);
        }
    }

    /// <summary>Pads the last two dimensions of [N, C, H, W] by (left, right, top, bottom).</summary>
    public static Tensor Pad(Tensor x, long left, long right, long top, long bottom, BorderMode mode, double value = 0)
    {
        if (left == 0 && right == 0 && top == 0 && bottom == 0)
        {
            return x.alias();
        }
        return mode switch
        {
            BorderMode.Constant => torch.nn.functional.pad(x, [left, right, top, bottom], "constant", value),
            BorderMode.Reflect101 => torch.nn.functional.pad(x, [left, right, top, bottom], "reflect"),
            BorderMode.Replicate => torch.nn.functional.pad(x, [left, right, top, bottom], "replicate"),
            BorderMode.Symmetric => PadSymmetric(x, left, right, top, bottom),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
    }

    // Half-sample symmetric padding (not in at::pad): flipped edge strips joined on. Pads larger than the
    // image are done in several rounds, each at most the current size.
    private static Tensor PadSymmetric(Tensor x, long left, long right, long top, long bottom)
    {
        using var scope = torch.NewDisposeScope();
        var result = x;
        while (left > 0 || right > 0 || top > 0 || bottom > 0)
        {
            var w = result.size(3);
            var h = result.size(2);
            long l = Math.Min(left, w), r = Math.Min(right, w), t = Math.Min(top, h), b = Math.Min(bottom, h);
            var parts = new List<Tensor>(3);
            if (l > 0)
            {
                parts.Add(result.narrow(3, 0, l).flip(3));
            }
            parts.Add(result);
            if (r > 0)
            {
                parts.Add(result.narrow(3, w - r, r).flip(3));
            }
            result = parts.Count == 1 ? result : torch.cat(parts, 3);
            parts.Clear();
            if (t > 0)
            {
                parts.Add(result.narrow(2, 0, t).flip(2));
            }
            parts.Add(result);
            if (b > 0)
            {
                parts.Add(result.narrow(2, h - b, b).flip(2));
            }
            result = parts.Count == 1 ? result : torch.cat(parts, 2);
            (left, right, top, bottom) = (left - l, right - r, top - t, bottom - b);
        }
        return (ReferenceEquals(result, x) ? x.alias() : result).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Cross-correlates every channel of every image with one kernel [kh, kw] (odd sizes, centred), as
    /// OpenCV's filter2D does; the border is read per <paramref name="border"/>. Output has the input's shape.
    /// </summary>
    public static Tensor Filter2D(Tensor images, double[,] kernel, BorderMode border)
    {
        var kh = kernel.GetLength(0);
        var kw = kernel.GetLength(1);
        if (kh % 2 == 0 || kw % 2 == 0)
        {
            throw new ArgumentException($"kernel sizes must be odd, got {kh}x{kw}", nameof(kernel));
        }
        using var scope = torch.NewDisposeScope();
        var flat = new double[kh * kw];
        Buffer.BlockCopy(kernel, 0, flat, 0, flat.Length * sizeof(double));
        var (n, c, h, w) = (images.size(0), images.size(1), images.size(2), images.size(3));
        // Depthwise form (every plane a group of one): libtorch's fast path; a batch of one-channel images
        // through an ordinary conv2d is several times slower on the CPU.
        var weight = Constant(flat, [1, 1, kh, kw], images).expand(n * c, 1, kh, kw);
        var planes = Pad(images, kw / 2, kw / 2, kh / 2, kh / 2, border).reshape(1, n * c, h + kh - 1, w + kw - 1);
        var result = torch.nn.functional.conv2d(planes, weight, null, 1, 0, 1, n * c).reshape(n, c, h, w);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Cross-correlates each image with its own kernel (<paramref name="kernels"/> [M, kh, kw]) in one grouped
    /// conv2d: image m's channels all use kernel m. Padding (left, right, top, bottom) is read per
    /// <paramref name="border"/>; it must make the output the size of the input.
    /// </summary>
    public static Tensor FilterPerImage(Tensor images, Tensor kernels, (long Left, long Right, long Top, long Bottom) padding, BorderMode border)
    {
        using var scope = torch.NewDisposeScope();
        var (m, c, h, w) = (images.size(0), images.size(1), images.size(2), images.size(3));
        var (kh, kw) = (kernels.size(1), kernels.size(2));
        var weight = kernels.unsqueeze(1).expand(m, c, kh, kw).reshape(m * c, 1, kh, kw);
        var planes = Pad(images, padding.Left, padding.Right, padding.Top, padding.Bottom, border)
            .reshape(1, m * c, h + padding.Top + padding.Bottom, w + padding.Left + padding.Right);
        var result = torch.nn.functional.conv2d(planes, weight, null, 1, 0, 1, m * c).reshape(m, c, h, w);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>A normalised 1-D Gaussian exp(−x²/2σ²) for x in −radius..radius (σ = 0 gives the identity tap).</summary>
    public static double[] GaussianKernel(double sigma, int radius)
    {
        var k = new double[2 * radius + 1];
        for (var i = -radius; i <= radius; i++)
        {
            k[i + radius] = sigma > 0 ? Math.Exp(-0.5 * i * i / (sigma * sigma)) : (i == 0 ? 1 : 0);
        }
        var sum = k.Sum();
        return Array.ConvertAll(k, v => v / sum);
    }

    /// <summary>
    /// Gaussian blur of every channel, separable, with scipy's kernel radius int(truncate·σ + 0.5) (so
    /// <c>skimage.filters.gaussian(x, σ, mode, truncate)</c>). <paramref name="sigma"/> may be a scalar for
    /// all images; the border as scipy's mode (Replicate = "nearest", Symmetric = "reflect").
    /// </summary>
    public static Tensor GaussianBlur(Tensor images, double sigma, BorderMode border, double truncate = 4.0)
    {
        var radius = (int)(truncate * sigma + 0.5);
        if (radius == 0)
        {
            return images.clone();
        }
        var k = GaussianKernel(sigma, radius);
        var row = new double[1, k.Length];
        var column = new double[k.Length, 1];
        for (var i = 0; i < k.Length; i++)
        {
            row[0, i] = k[i];
            column[i, 0] = k[i];
        }
        using var scope = torch.NewDisposeScope();
        var result = Filter2D(Filter2D(images, row, border), column, border);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A separable linear map of every channel: Y = A · X · Bᵀ with <paramref name="rows"/> A [H', H] and
    /// <paramref name="columns"/> B [W', W] (resampling, zoom, pixelation as exact matrices).
    /// </summary>
    public static Tensor Separable(Tensor images, double[,] rows, double[,] columns)
    {
        using var scope = torch.NewDisposeScope();
        var a = Matrix(rows, images);
        var bt = Matrix(columns, images).t();
        var result = a.matmul(images).matmul(bt);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>A [r, c] constant from a C# matrix.</summary>
    public static Tensor Matrix(double[,] values, Tensor like)
    {
        var flat = new double[values.Length];
        Buffer.BlockCopy(values, 0, flat, 0, flat.Length * sizeof(double));
        return Constant(flat, [values.GetLength(0), values.GetLength(1)], like);
    }
}
