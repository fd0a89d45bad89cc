using System.Text;
using MlNetRobust.Data;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Tests.Data;

/// <summary>A temporary folder, deleted with its contents on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mnr-data-{Guid.NewGuid():N}"));

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

/// <summary>Writes image files for the loader tests: JPEG through our encoder, BMP by hand, fixtures copied.</summary>
public static class TestFiles
{
    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures", "images");

    public static string Fixture(string name) => Path.Combine(Fixtures, name);

    /// <summary>The expected RGB bytes of a fixture (written by make_images.py).</summary>
    public static byte[] ExpectedRgb(string name) => File.ReadAllBytes(Fixture(name + ".rgb"));

    /// <summary>A distinct, known pixel pattern: v(y, x, c) = (37 y + 11 x + 101 c + seed) mod 256.</summary>
    public static byte[] Pattern(int width, int height, int channels, int seed = 0)
    {
        var pixels = new byte[width * height * channels];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    pixels[(y * width + x) * channels + c] = (byte)((37 * y + 11 * x + 101 * c + seed) % 256);
                }
            }
        }
        return pixels;
    }

    /// <summary>Writes a JPEG (quality 95, 4:2:0) of the pattern; returns the path.</summary>
    public static string WriteJpeg(string path, int width = 8, int height = 8, int seed = 0, int channels = 3)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = torch.tensor(Pattern(width, height, channels, seed), height, width, channels);
        File.WriteAllBytes(path, Imaging.EncodeJpeg(image, 95));
        return path;
    }

    /// <summary>Writes an uncompressed 24-bit BMP of the pattern (bottom-up rows, BGR, rows padded to 4 bytes).</summary>
    public static string WriteBmp(string path, int width = 8, int height = 8, int seed = 0)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var rgb = Pattern(width, height, 3, seed);
        var row = (width * 3 + 3) / 4 * 4;
        var data = new byte[54 + row * height];
        var header = data.AsSpan();
        "BM"u8.CopyTo(header);
        BitConverter.TryWriteBytes(header[2..], data.Length);
        BitConverter.TryWriteBytes(header[10..], 54);
        BitConverter.TryWriteBytes(header[14..], 40);
        BitConverter.TryWriteBytes(header[18..], width);
        BitConverter.TryWriteBytes(header[22..], height);
        BitConverter.TryWriteBytes(header[26..], (short)1);
        BitConverter.TryWriteBytes(header[28..], (short)24);
        BitConverter.TryWriteBytes(header[34..], row * height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var source = (y * width + x) * 3;
                var target = 54 + (height - 1 - y) * row + x * 3;
                (data[target], data[target + 1], data[target + 2]) = (rgb[source + 2], rgb[source + 1], rgb[source]);
            }
        }
        File.WriteAllBytes(path, data);
        return path;
    }

    public static string Copy(string fixture, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Fixture(fixture), target, overwrite: true);
        return target;
    }

    public static string WriteText(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, Encoding.UTF8);
        return path;
    }

    /// <summary>All rows of a view as one batch.</summary>
    public static DataBatch ReadAll(IDataView view) => view.GetRows(Enumerable.Range(0, (int)view.RowCount).Select(i => (long)i).ToArray());

    public static long[] Ids(params long[] ids) => ids;
}
