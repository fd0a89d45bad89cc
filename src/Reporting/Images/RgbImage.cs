namespace MlNetRobust.Reporting.Images;

/// <summary>An 8-bit RGB image, pixels interleaved row by row (r, g, b, r, g, b, …): what
/// <see cref="PngEncoder"/> writes.</summary>
public sealed class RgbImage
{
    /// <summary>A new image filled with <paramref name="fill"/> (white by default).</summary>
    public RgbImage(int width, int height, byte fill = 255)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        Pixels = new byte[checked(width * height * 3)];
        Array.Fill(Pixels, fill);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Width × height × 3 bytes, row-major, RGB.</summary>
    public byte[] Pixels { get; }

    public void SetPixel(int x, int y, byte r, byte g, byte b)
    {
        var i = (y * Width + x) * 3;
        Pixels[i] = r;
        Pixels[i + 1] = g;
        Pixels[i + 2] = b;
    }

    public (byte R, byte G, byte B) GetPixel(int x, int y)
    {
        var i = (y * Width + x) * 3;
        return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
    }
}
