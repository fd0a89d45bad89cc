using MlNetRobust.Reporting.Images;

namespace MlNetRobust.Reporting.Tests;

public sealed class SampleGridTests
{
    private static ImageBatch Filled(int count, int size, float value) =>
        new(Enumerable.Repeat(value, count * 3 * size * size).ToArray(), count, 3, size, size);

    [Fact]
    public void Rows_are_samples_and_columns_are_variants_with_their_differences()
    {
        var clean = Filled(2, 4, 0.5f);
        var grid = new SampleGrid
        {
            Variants = [new("clean", clean), new("fog", Filled(2, 4, 0.6f)), new("PGD", Filled(2, 4, 0.52f))],
            Scale = 2,
            Gap = 4,
        };
        Assert.Equal(["clean", "fog", "|fog \u2212 clean| \u00d7 10", "PGD", "|PGD \u2212 clean| \u00d7 10"], grid.ColumnNames);
        var image = grid.Render();
        Assert.Equal(5 * 8 + 6 * 4, image.Width);
        Assert.Equal(2 * 8 + 3 * 4, image.Height);
    }

    [Fact]
    public void Differences_are_amplified_and_clamped()
    {
        var clean = Filled(1, 2, 0.5f);
        var grid = new SampleGrid
        {
            Variants = [new("clean", clean), new("small", Filled(1, 2, 0.5f + 4 / 255f)), new("large", Filled(1, 2, 0.9f))],
            Scale = 1,
            Gap = 1,
            DifferenceGain = 10,
        };
        var image = grid.Render();
        // Cells are 2 pixels wide with 1-pixel gaps: column k starts at 1 + 3k.
        Assert.Equal((byte)128, image.GetPixel(1, 1).R);          // clean 0.5
        Assert.Equal((byte)40, image.GetPixel(1 + 3 * 2, 1).G);   // |4/255| × 10
        Assert.Equal((byte)255, image.GetPixel(1 + 3 * 4, 1).B);  // |0.4| × 10, clamped to 1
    }

    [Fact]
    public void Upscaling_repeats_each_pixel_and_gaps_stay_white()
    {
        var data = new float[3 * 2 * 2];
        data[0] = 1; // red channel of the top-left pixel
        var grid = new SampleGrid { Variants = [new("clean", new ImageBatch(data, 1, 3, 2, 2))], Scale = 3, Gap = 2 };
        var image = grid.Render();
        for (var y = 0; y < 3; y++)
        {
            for (var x = 0; x < 3; x++)
            {
                Assert.Equal(((byte)255, (byte)0, (byte)0), image.GetPixel(2 + x, 2 + y));
            }
        }

        Assert.Equal(((byte)0, (byte)0, (byte)0), image.GetPixel(2 + 3, 2));
        Assert.Equal(((byte)255, (byte)255, (byte)255), image.GetPixel(0, 0));
    }

    [Fact]
    public void Grey_images_and_out_of_range_values_are_drawn_clamped()
    {
        var grey = new ImageBatch([-1f, 2f, float.NaN, 0.5f], 1, 1, 2, 2);
        var image = new SampleGrid { Variants = [new("grey", grey)], Scale = 1, Gap = 0 }.Render();
        Assert.Equal(((byte)0, (byte)0, (byte)0), image.GetPixel(0, 0));
        Assert.Equal(((byte)255, (byte)255, (byte)255), image.GetPixel(1, 0));
        Assert.Equal(((byte)0, (byte)0, (byte)0), image.GetPixel(0, 1));
        Assert.Equal(((byte)128, (byte)128, (byte)128), image.GetPixel(1, 1));
    }

    [Fact]
    public void The_png_of_a_grid_decodes_to_the_rendered_pixels()
    {
        var random = new Random(5);
        var clean = new ImageBatch(Enumerable.Range(0, 3 * 3 * 8 * 8).Select(_ => (float)random.NextDouble()).ToArray(), 3, 3, 8, 8);
        var noisy = new ImageBatch(clean.Data.Select(v => v + (float)(random.NextDouble() - 0.5) * 0.05f).ToArray(), 3, 3, 8, 8);
        var grid = new SampleGrid { Variants = [new("clean", clean), new("noise", noisy)], MaxRows = 2 };
        var decoded = PngReader.Read(grid.ToPng());
        var rendered = grid.Render();
        Assert.Equal((rendered.Width, rendered.Height), (decoded.Width, decoded.Height));
        Assert.Equal(rendered.Pixels, decoded.Rgb);
        Assert.Equal(2 * 24 + 3 * 4, rendered.Height);
    }

    [Fact]
    public void A_batch_whose_shape_does_not_match_its_data_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ImageBatch(new float[10], 1, 3, 2, 2));
        Assert.Throws<ArgumentException>(() => ImageBatch.FromShape(new float[12], [3, 2, 2]));
        Assert.Equal(2, ImageBatch.FromShape(new float[24], [2, 3, 2, 2]).Count);
    }

    [Fact]
    public void Variants_of_different_sizes_are_refused_by_name()
    {
        var grid = new SampleGrid { Variants = [new("clean", Filled(1, 4, 0)), new("cropped", Filled(1, 3, 0))] };
        var error = Assert.Throws<ArgumentException>(() => grid.Render());
        Assert.Contains("'cropped'", error.Message, StringComparison.Ordinal);
    }
}
