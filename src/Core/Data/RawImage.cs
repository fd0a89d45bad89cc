namespace MlNetRobust.Data;

/// <summary>
/// One decoded image: 8-bit pixels in row-major height × width × channels order (1 gray, 2 gray+alpha,
/// 3 RGB, 4 RGBA). <see cref="Source"/> names where it came from, for error messages.
/// </summary>
public sealed class RawImage
{
    public RawImage(int width, int height, int channels, byte[] pixels, string source)
    {
        if (width <= 0 || height <= 0 || channels is < 1 or > 4)
        {
            throw new ArgumentException($"{source}: bad image geometry {width}x{height}x{channels}");
        }
        if (pixels.Length != width * height * channels)
        {
            throw new ArgumentException($"{source}: {pixels.Length} bytes for a {width}x{height}x{channels} image (expected {width * height * channels})");
        }
        (Width, Height, Channels, Pixels, Source) = (width, height, channels, pixels, source);
    }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; }

    public byte[] Pixels { get; }

    public string Source { get; }

    /// <summary>What the image was in its file before decoding (e.g. "palette", "RGBA", "16-bit gray").</summary>
    public string? OriginalMode { get; init; }

    public override string ToString() => $"{Width}x{Height}x{Channels} ({Source})";
}
