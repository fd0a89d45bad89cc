using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MlNetRobust.Reporting.Tests;

/// <summary>An independent PNG decoder for the round-trip tests, written from the specification and
/// sharing no code with the encoder: checks the signature and every chunk's CRC (bit by bit, no
/// table), inflates the IDAT data and undoes all five row filters. 8-bit RGB, non-interlaced only.</summary>
internal static class PngReader
{
    public sealed record Decoded(int Width, int Height, byte[] Rgb, IReadOnlyList<string> Chunks, IReadOnlyList<byte> FilterTypes);

    public static Decoded Read(byte[] png)
    {
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.Equal(signature, png[..8]);
        var chunks = new List<string>();
        var idat = new MemoryStream();
        int width = 0, height = 0;
        var at = 8;
        while (at < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            Assert.Equal(BitwiseCrc(png.AsSpan(at + 4, length + 4)), crc);
            chunks.Add(type);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    Assert.Equal([8, 2, 0, 0, 0], data[8..13].ToArray()); // 8-bit, RGB, deflate, adaptive, no interlace
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }

            at += 12 + length;
        }

        Assert.Equal(png.Length, at);
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var stride = width * 3;
        Assert.Equal(height * (stride + 1), raw.Length);
        var rgb = new byte[height * stride];
        var filters = new List<byte>();
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            filters.Add(filter);
            for (var i = 0; i < stride; i++)
            {
                var x = raw[y * (stride + 1) + 1 + i];
                int a = i >= 3 ? rgb[y * stride + i - 3] : 0;
                int b = y > 0 ? rgb[(y - 1) * stride + i] : 0;
                int c = i >= 3 && y > 0 ? rgb[(y - 1) * stride + i - 3] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) >> 1,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"bad filter type {filter} in row {y}"),
                };
                rgb[y * stride + i] = (byte)(x + predictor);
            }
        }

        return new Decoded(width, height, rgb, chunks, filters);
    }

    // The specification's Paeth predictor, written out as there.
    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc)
        {
            return a;
        }

        return pb <= pc ? b : c;
    }

    public static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
            }
        }

        return ~crc;
    }
}
