using MlNetRobust.Reporting.Images;
using MlNetRobust.Torch;

namespace MlNetRobust.Cli.Tests;

/// <summary>Writes small image files for the command tests: RGB PNG by our encoder, gray or RGB JPEG by the shim's.</summary>
public static class TestImages
{
    /// <summary>A known pattern: v(y, x, c) = (37 y + 11 x + 101 c + seed) mod 256.</summary>
    public static byte[] Pattern(int width, int height, int channels, int seed = 0)
    {
        var pixels = new byte[width * height * channels];
        for (var i = 0; i < pixels.Length; i++)
        {
            var (y, x, c) = (i / channels / width, i / channels % width, i % channels);
            pixels[i] = (byte)((37 * y + 11 * x + 101 * c + seed) % 256);
        }
        return pixels;
    }

    public static string WritePng(string path, int width = 32, int height = 32, int seed = 0)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var image = new RgbImage(width, height);
        Pattern(width, height, 3, seed).CopyTo(image.Pixels, 0);
        PngEncoder.Save(image, path);
        return path;
    }

    public static string WriteJpeg(string path, int width = 32, int height = 32, int channels = 3, int seed = 0)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = torch.tensor(Pattern(width, height, channels, seed), height, width, channels);
        File.WriteAllBytes(path, Imaging.EncodeJpeg(image, 95));
        return path;
    }

    public static string WriteText(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
