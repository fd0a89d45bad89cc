using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Tests.Data;

/// <summary>The shim's codecs through MlNetRobust.Torch.Imaging, against files PIL wrote (Fixtures/images/make_images.py).</summary>
public class ImageCodecTests
{
    public static TheoryData<string, int, string> Fixtures => new()
    {
        { "gray.png", 1, "gray PNG" },
        { "gray_alpha.png", 2, "gray+alpha PNG" },
        { "rgb.png", 3, "RGB PNG" },
        { "rgba.png", 4, "RGBA PNG" },
        { "palette.png", 3, "palette PNG" },
        { "palette_alpha.png", 4, "palette PNG" },
        { "gray16.png", 1, "16-bit gray PNG" },
        { "rgb16.png", 3, "16-bit RGB PNG" },
        { "rgb.bmp", 3, "RGB BMP" },
        { "palette.bmp", 3, "palette BMP" },
        { "rgb.gif", 4, "palette GIF" },
        { "rgb.jpg", 3, "RGB JPEG" },
        { "gray.jpg", 1, "gray JPEG" },
        { "cmyk.jpg", 3, "CMYK JPEG" },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Decoding_keeps_the_files_channel_count_and_reports_its_original_mode(string name, int channels, string mode)
    {
        using var image = Imaging.Decode(File.ReadAllBytes(TestFiles.Fixture(name)), out var info);

        Assert.Equal([5, 7, channels], image.shape);
        Assert.Equal(ScalarType.Byte, image.dtype);
        Assert.Equal(mode, info.ToString());
    }

    [Fact]
    public void Lossless_files_decode_to_exactly_the_pixels_that_were_written()
    {
        var pattern = TestFiles.Pattern(7, 5, 3);
        foreach (var name in new[] { "rgb.png", "rgb.bmp", "rgb16.png" })
        {
            using var image = Imaging.Decode(File.ReadAllBytes(TestFiles.Fixture(name)), out _);
            Assert.Equal(pattern, image.ToBytes());
        }
        using var gray = Imaging.Decode(File.ReadAllBytes(TestFiles.Fixture("gray16.png")), out _);
        Assert.Equal(TestFiles.Pattern(7, 5, 1), gray.ToBytes()); // the high byte of each 16-bit sample
    }

    [Fact]
    public void Palette_transparency_becomes_an_alpha_channel()
    {
        using var image = Imaging.Decode(File.ReadAllBytes(TestFiles.Fixture("palette_alpha.png")), out _);
        var pixels = image.ToBytes();
        for (var y = 0; y < 5; y++)
        {
            for (var x = 0; x < 7; x++)
            {
                // Index 3 (white) was saved as transparent; the others are opaque.
                Assert.Equal((x + y) % 4 == 3 ? 0 : 255, pixels[(y * 7 + x) * 4 + 3]);
            }
        }
    }

    [Fact]
    public void Jpeg_decoding_matches_pil_which_uses_the_same_libjpeg_turbo()
    {
        foreach (var (name, channels) in new[] { ("rgb.jpg", 3), ("gray.jpg", 1) })
        {
            using var image = Imaging.Decode(File.ReadAllBytes(TestFiles.Fixture(name)), out _);
            var expected = TestFiles.ExpectedRgb(name);
            var actual = image.ToBytes();
            for (var i = 0; i < actual.Length; i++)
            {
                Assert.Equal(expected[i / channels * 3 + i % channels], actual[i]);
            }
        }
    }

    [Fact]
    public void Empty_text_and_unknown_files_fail_with_the_reason()
    {
        Assert.Contains("empty file", Assert.Throws<TorchException>(() => Imaging.Decode([], out _)).Message);
        var text = Assert.Throws<TorchException>(() => Imaging.Decode("just a readme\n"u8, out _)).Message;
        Assert.Contains("not an image", text);
        Assert.Contains("6a 75 73 74", text); // the signature it saw
    }

    [Theory]
    [InlineData("rgb.jpg", "truncated JPEG")]
    [InlineData("rgb.png", "corrupt or truncated PNG")]
    [InlineData("rgb.bmp", "truncated BMP")]
    public void Truncated_files_fail_instead_of_decoding_half_an_image(string name, string message)
    {
        var bytes = File.ReadAllBytes(TestFiles.Fixture(name));
        var error = Assert.Throws<TorchException>(() => Imaging.Decode(bytes.AsSpan(0, bytes.Length * 2 / 3), out _));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_jpeg_cut_inside_its_image_data_fails_where_libjpeg_would_only_warn()
    {
        using var image = torch.tensor(TestFiles.Pattern(64, 64, 3), 64, 64, 3);
        var bytes = Imaging.EncodeJpeg(image, 90);
        var error = Assert.Throws<TorchException>(() => Imaging.Decode(bytes.AsSpan(0, bytes.Length * 4 / 5), out _));
        Assert.Contains("corrupt or truncated JPEG (Premature end of JPEG file)", error.Message);
    }

    [Fact]
    public void A_jpeg_with_a_damaged_header_fails_as_corrupt()
    {
        var bytes = File.ReadAllBytes(TestFiles.Fixture("rgb.jpg"));
        for (var i = 20; i < bytes.Length - 2; i++)
        {
            bytes[i] = (byte)(i * 7);
        }
        Assert.Contains("JPEG", Assert.Throws<TorchException>(() => Imaging.Decode(bytes, out _)).Message);
    }

    [Fact]
    public void Batch_decoding_reports_each_bad_item_and_still_decodes_the_others()
    {
        var good = File.ReadAllBytes(TestFiles.Fixture("rgb.png"));
        var jpeg = File.ReadAllBytes(TestFiles.Fixture("rgb.jpg"));
        byte[] data = [.. good, .. "nope"u8, .. jpeg];
        long[] offsets = [0, good.Length, good.Length + 4, good.Length + 4, data.Length];

        var results = Imaging.DecodeBatch(data, offsets);
        try
        {
            Assert.Equal(4, results.Length);
            Assert.Equal(TestFiles.Pattern(7, 5, 3), results[0].Image!.ToBytes());
            Assert.Null(results[1].Image);
            Assert.Contains("not an image", results[1].Error);
            Assert.Contains("empty file", results[2].Error);
            Assert.Equal(ImageFileFormat.Jpeg, results[3].Info.Format);
            Assert.Equal([5, 7, 3], results[3].Image!.shape);
        }
        finally
        {
            foreach (var r in results)
            {
                r.Image?.Dispose();
            }
        }
    }

    [Fact]
    public void Jpeg_encoding_round_trips_close_to_the_original_and_gets_worse_with_lower_quality()
    {
        using var image = torch.tensor(TestFiles.Pattern(16, 16, 3), 16, 16, 3);
        double Error(int quality)
        {
            var bytes = Imaging.EncodeJpeg(image, quality);
            Assert.Equal([0xFF, 0xD8], bytes[..2]);
            using var back = Imaging.Decode(bytes, out var info);
            Assert.Equal("RGB JPEG", info.ToString());
            using var a = back.to(ScalarType.Float32);
            using var b = image.to(ScalarType.Float32);
            using var diff = (a - b).abs().mean();
            return diff.item<float>();
        }
        Assert.True(Error(100) < Error(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => Imaging.EncodeJpeg(image, 0));
        using var rgba = torch.zeros([4, 4, 4], ScalarType.Byte);
        Assert.Contains("1 (gray) or 3 (RGB) channels", Assert.Throws<TorchException>(() => Imaging.EncodeJpeg(rgba, 90)).Message);
    }

    [Fact]
    public void Jpeg_round_trip_of_a_batch_equals_encoding_and_decoding_each_image()
    {
        using var scope = torch.NewDisposeScope();
        var images = torch.tensor([.. TestFiles.Pattern(9, 6, 3, 0), .. TestFiles.Pattern(9, 6, 3, 50)], 2, 6, 9, 3);
        var batch = Imaging.JpegRoundTrip(images, 30, 80);
        for (var i = 0; i < 2; i++)
        {
            using var one = Imaging.Decode(Imaging.EncodeJpeg(images[i], i == 0 ? 30 : 80), out _);
            Assert.True(one.equal(batch[i]));
        }
    }

    [Fact]
    public void Resizing_matches_pil_bilinear_within_one_level()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(TestFiles.Pattern(7, 5, 3), 1, 5, 7, 3);
        foreach (var (w, h) in new[] { (3, 2), (13, 9) })
        {
            var resized = Imaging.Resize(image, h, w).ToBytes();
            var expected = File.ReadAllBytes(TestFiles.Fixture($"rgb.png.resized-{w}x{h}.rgb"));
            Assert.Equal(expected.Length, resized.Length);
            Assert.All(Enumerable.Range(0, expected.Length), i => Assert.InRange(resized[i] - expected[i], -1, 1));
        }
    }

    [Fact]
    public void Resizing_up_uses_half_pixel_centres()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(new byte[] { 0, 255 }, 1, 1, 2, 1);
        // Output x maps to input (x + 0.5) / 2 - 0.5: -0.25 → 0, 0.25, 0.75, 1.25 → 1 (clamped at the edges).
        Assert.Equal([0, 64, 191, 255], Imaging.Resize(image, 1, 4, antialias: false).ToBytes());
    }
}
