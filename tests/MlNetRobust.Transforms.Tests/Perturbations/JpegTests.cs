using MlNetRobust.Torch;
using MlNetRobust.Transforms.Corruptions;
using static MlNetRobust.Transforms.Tests.Perturbations.PerturbationKit;

namespace MlNetRobust.Transforms.Tests.Perturbations;

public class JpegTests
{
    // Smooth colour (upsampled 4×4 noise) with a little texture, on the 8-bit grid as decoded images are.
    private static Tensor Photo(int n = 4, int height = 32, int width = 32, double texture = 0.1)
    {
        using var scope = torch.NewDisposeScope();
        var smooth = torch.nn.functional.interpolate(Random(n, 4, 4, seed: 21), height, width);
        var noise = Random(n, height, width, seed: 22);
        return ((smooth * (1 - texture) + noise * texture) * 255.0).round().div(255.0).MoveToOuterDisposeScope();
    }

    // Mean |difference| between horizontally adjacent pixels that straddle an 8×8 block edge, over the
    // same between pixels inside blocks.
    private static double Blockiness(Tensor images)
    {
        using var scope = torch.NewDisposeScope();
        var w = images.size(3);
        var steps = (images.narrow(3, 1, w - 1) - images.narrow(3, 0, w - 1)).abs().mean([0, 1, 2]);
        var v = steps.data<float>();
        var across = Enumerable.Range(0, v.Length).Where(i => i % 8 == 7).Average(i => v[i]);
        var inside = Enumerable.Range(0, v.Length).Where(i => i % 8 != 7).Average(i => v[i]);
        return across / inside;
    }

    [Fact]
    public void Quality_100_is_nearly_lossless()
    {
        // Smooth colour: 4:2:0 chroma subsampling loses only colour detail finer than 2 pixels.
        using var images = Photo(texture: 0);
        using var jpeg = JpegCompressionCorruption.Compress(images, 100);
        Assert.True(MeanAbsDiff(jpeg, images) < 2.0 / 255, $"mean error {MeanAbsDiff(jpeg, images) * 255:F2}/255");
        using var full = JpegCompressionCorruption.Compress(images, 100, chromaSubsampling: false);
        Assert.True(MaxAbsDiff(full, images) <= 4.0 / 255 + 1e-6, $"max error without subsampling {MaxAbsDiff(full, images) * 255:F2}/255");
        Assert.True(MeanAbsDiff(full, images) < 0.6 / 255);
    }

    [Theory]
    [InlineData(10, PillowReference.Jpeg10)]
    [InlineData(40, PillowReference.Jpeg40)]
    [InlineData(80, PillowReference.Jpeg80)]
    [InlineData(100, PillowReference.Jpeg100)]
    public void The_round_trip_matches_Pillows_libjpeg_within_a_level_on_average(int quality, string pillow)
    {
        using var image = FromPillow(PillowReference.Image);
        using var expected = FromPillow(pillow);
        using var actual = JpegCompressionCorruption.Compress(image, quality);
        // Differences come from libjpeg's integer DCT and rounding: a level on average, a few at most.
        Assert.True(MeanAbsDiff(actual, expected) <= 1.5 / 255, $"mean {MeanAbsDiff(actual, expected) * 255:F2}/255");
        Assert.True(MaxAbsDiff(actual, expected) <= 12.0 / 255 + 1e-6, $"max {MaxAbsDiff(actual, expected) * 255:F1}/255");
        // And it is far closer to Pillow's output than either is to the clean image.
        Assert.True(MeanAbsDiff(actual, expected) < MeanAbsDiff(expected, image) / 3);
    }

    [Fact]
    public void Quality_10_shows_the_8x8_block_structure()
    {
        using var images = Photo(8);
        using var low = JpegCompressionCorruption.Compress(images, 10);
        using var high = JpegCompressionCorruption.Compress(images, 100);
        Assert.True(Blockiness(low) > 2.0, $"blockiness at quality 10: {Blockiness(low):F2}");
        Assert.InRange(Blockiness(high), 0.8, 1.25);
        Assert.InRange(Blockiness(images), 0.8, 1.25);
    }

    [Fact]
    public void The_error_falls_as_quality_rises()
    {
        using var images = Photo();
        var errors = new[] { 5, 10, 25, 50, 75, 90, 100 }.Select(q =>
        {
            using var y = JpegCompressionCorruption.Compress(images, q);
            return MeanAbsDiff(y, images);
        }).ToArray();
        for (var i = 1; i < errors.Length; i++)
        {
            Assert.True(errors[i] < errors[i - 1], string.Join(", ", errors));
        }
    }

    [Fact]
    public void Quantisation_tables_scale_with_quality_as_libjpeg()
    {
        Assert.Equal(JpegCompressionCorruption.LuminanceTable, JpegCompressionCorruption.ScaledTable(JpegCompressionCorruption.LuminanceTable, 50));
        Assert.All(JpegCompressionCorruption.ScaledTable(JpegCompressionCorruption.ChrominanceTable, 100), q => Assert.Equal(1, q));
        // Quality 10: scale 500 → (16·500 + 50) / 100 = 80; quality 80: scale 40 → (16·40 + 50) / 100 = 6.
        Assert.Equal(80, JpegCompressionCorruption.ScaledTable(JpegCompressionCorruption.LuminanceTable, 10)[0]);
        Assert.Equal(6, JpegCompressionCorruption.ScaledTable(JpegCompressionCorruption.LuminanceTable, 80)[0]);
        Assert.Equal(255, JpegCompressionCorruption.ScaledTable(JpegCompressionCorruption.ChrominanceTable, 1)[63]); // baseline limit
    }

    [Fact]
    public void The_DCT_matrix_is_orthonormal()
    {
        var d = JpegCompressionCorruption.DctMatrix();
        for (var i = 0; i < 8; i++)
        {
            for (var j = 0; j < 8; j++)
            {
                var dot = Enumerable.Range(0, 8).Sum(k => d[i, k] * d[j, k]);
                Assert.Equal(i == j ? 1.0 : 0.0, dot, 12);
            }
        }
    }

    [Fact]
    public void Sizes_that_are_not_multiples_of_the_block_are_padded_and_cropped_back()
    {
        using var images = Photo(2, 13, 21);
        using var jpeg = JpegCompressionCorruption.Compress(images, 75);
        Assert.Equal(images.shape, jpeg.shape);
        Assert.True(MeanAbsDiff(jpeg, images) < 12.0 / 255, $"mean error {MeanAbsDiff(jpeg, images) * 255:F2}/255");
    }

    [Fact]
    public void A_flat_grey_image_survives_any_quality()
    {
        using var grey = Constant(1, 128 / 255.0, 16, 16);
        using var jpeg = JpegCompressionCorruption.Compress(grey, 5);
        Assert.True(MaxAbsDiff(jpeg, grey) <= 1.0 / 255 + 1e-6);
    }
}
