using System.Text;
using MlNetRobust.Reporting.Images;

namespace MlNetRobust.Reporting.Tests;

public sealed class PngEncoderTests
{
    private static RgbImage Pattern(int width, int height, int seed)
    {
        // Gradients, flat areas and noise, so the encoder has reason to use every filter.
        var random = new Random(seed);
        var image = new RgbImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var noisy = y % 7 == 0;
                image.SetPixel(x, y,
                    (byte)(noisy ? random.Next(256) : x * 255 / width),
                    (byte)(y * 255 / height),
                    (byte)(x > width / 2 ? 200 : (x + y) % 256));
            }
        }

        return image;
    }

    [Fact]
    public void The_crc_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(PngReader.BitwiseCrc(Encoding.ASCII.GetBytes("IEND")), Crc32.Compute(Encoding.ASCII.GetBytes("IEND")));
    }

    [Fact]
    public void A_decoded_png_gives_back_every_pixel()
    {
        var image = Pattern(37, 23, 1);
        var decoded = PngReader.Read(PngEncoder.Encode(image));
        Assert.Equal((37, 23), (decoded.Width, decoded.Height));
        Assert.Equal(image.Pixels, decoded.Rgb);
    }

    [Fact]
    public void The_file_is_signature_ihdr_idat_iend_with_valid_crcs()
    {
        var decoded = PngReader.Read(PngEncoder.Encode(Pattern(8, 8, 2)));
        Assert.Equal(["IHDR", "IDAT", "IEND"], decoded.Chunks);
    }

    [Fact]
    public void Rows_are_filtered_adaptively()
    {
        var decoded = PngReader.Read(PngEncoder.Encode(Pattern(64, 64, 3)));
        Assert.True(decoded.FilterTypes.Distinct().Count() >= 2, $"filters used: {string.Join(",", decoded.FilterTypes.Distinct())}");
    }

    [Fact]
    public void A_one_pixel_image_round_trips()
    {
        var image = new RgbImage(1, 1);
        image.SetPixel(0, 0, 1, 2, 3);
        Assert.Equal([1, 2, 3], PngReader.Read(PngEncoder.Encode(image)).Rgb);
    }

    [Fact]
    public void The_same_image_encodes_to_the_same_bytes() =>
        Assert.Equal(PngEncoder.Encode(Pattern(30, 30, 4)), PngEncoder.Encode(Pattern(30, 30, 4)));
}
