using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MlNetRobust.Reporting.Images;

/// <summary>Writes 8-bit RGB PNG files (W3C PNG specification, 3rd edition): the signature, an IHDR,
/// one zlib-compressed IDAT and an IEND, each chunk with its CRC-32. Each row gets the filter that
/// minimises the sum of absolute differences (libpng's heuristic), which for upscaled samples and flat
/// gaps makes files several times smaller than no filtering.</summary>
public static class PngEncoder
{
    private static readonly byte[] s_signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The image as a PNG file.</summary>
    public static byte[] Encode(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var output = new MemoryStream();
        output.Write(s_signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // colour type: truecolour (RGB)
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method: adaptive
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR", header);
        WriteChunk(output, "IDAT", Compress(image));
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>Writes the image to <paramref name="path"/> as PNG.</summary>
    public static void Save(RgbImage image, string path) => File.WriteAllBytes(path, Encode(image));

    private static byte[] Compress(RgbImage image)
    {
        var stride = image.Width * 3;
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var previous = new byte[stride]; // the row above the first is zeros
            var candidates = new byte[5][];
            for (var f = 0; f < 5; f++)
            {
                candidates[f] = new byte[stride + 1];
                candidates[f][0] = (byte)f;
            }

            for (var y = 0; y < image.Height; y++)
            {
                var row = image.Pixels.AsSpan(y * stride, stride);
                var best = 0;
                var bestScore = long.MaxValue;
                for (var f = 0; f < 5; f++)
                {
                    var score = Filter(f, row, previous, candidates[f].AsSpan(1));
                    if (score < bestScore)
                    {
                        (best, bestScore) = (f, score);
                    }
                }

                zlib.Write(candidates[best]);
                row.CopyTo(previous);
            }
        }

        return compressed.ToArray();
    }

    // Applies PNG filter type f (0 none, 1 sub, 2 up, 3 average, 4 Paeth) to a row; returns the sum of
    // the filtered bytes read as signed values, the heuristic's estimate of how well it compresses.
    private static long Filter(int f, ReadOnlySpan<byte> row, ReadOnlySpan<byte> above, Span<byte> output)
    {
        const int Bpp = 3; // bytes per pixel
        long score = 0;
        for (var i = 0; i < row.Length; i++)
        {
            int a = i >= Bpp ? row[i - Bpp] : 0, b = above[i], c = i >= Bpp ? above[i - Bpp] : 0;
            var predicted = f switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                _ => Paeth(a, b, c),
            };
            var value = (byte)(row[i] - predicted);
            output[i] = value;
            score += Math.Abs((int)(sbyte)value);
        }

        return score;
    }

    internal static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        // The CRC covers the chunk type and data, not the length.
        var crc = Crc32.Append(Crc32.Compute(typeBytes), data);
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        output.Write(crcBytes);
    }
}
