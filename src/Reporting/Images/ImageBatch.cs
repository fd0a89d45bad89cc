namespace MlNetRobust.Reporting.Images;

/// <summary>A batch of images as plain floats, shape [N, C, H, W] (C = 3 for RGB or 1 for grey), values
/// in [0, 1] — what a pixel tensor holds before normalisation, copied out. Values outside [0, 1] are
/// clamped when drawn.</summary>
public sealed class ImageBatch
{
    public ImageBatch(float[] data, int count, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "expected 3 (RGB) or 1 (grey) channels");
        }

        if ((long)count * channels * height * width != data.Length)
        {
            throw new ArgumentException($"shape [{count}, {channels}, {height}, {width}] needs {(long)count * channels * height * width} values, not {data.Length}", nameof(data));
        }

        Data = data;
        Count = count;
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>A batch from data and its shape [N, C, H, W].</summary>
    public static ImageBatch FromShape(float[] data, IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count != 4)
        {
            throw new ArgumentException($"expected a shape [N, C, H, W], not [{string.Join(", ", shape)}]", nameof(shape));
        }

        return new ImageBatch(data, checked((int)shape[0]), checked((int)shape[1]), checked((int)shape[2]), checked((int)shape[3]));
    }

    /// <summary>The values, image by image, channel by channel, row by row.</summary>
    public float[] Data { get; }

    public int Count { get; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>The value of image <paramref name="n"/>, channel <paramref name="c"/> (grey images
    /// answer every channel with their one), at row <paramref name="y"/>, column <paramref name="x"/>.</summary>
    public float this[int n, int c, int y, int x] =>
        Data[(((long)n * Channels + (Channels == 1 ? 0 : c)) * Height + y) * Width + x];
}
