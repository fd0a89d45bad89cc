using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;
using static MlNetRobust.Transforms.Tests.Perturbations.PerturbationKit;

namespace MlNetRobust.Transforms.Tests.Perturbations;

public class ColorJitterTests
{
    // One pixel per image: [n, 3, 1, 1] from RGB triples.
    private static Tensor Pixels(params (float R, float G, float B)[] rgb) =>
        torch.tensor(rgb.SelectMany(p => new[] { p.R, p.G, p.B }).ToArray(), rgb.Length, 3, 1, 1);

    [Fact]
    public void Brightness_factor_one_and_a_half_multiplies_and_clamps()
    {
        using var x = Pixels((0.2f, 0.5f, 0.8f));
        using var y = ColorJitterTransformer.AdjustBrightness(x, [1.5]);
        Assert.Equal([0.3f, 0.75f, 1f], Values(y).Select(v => MathF.Round(v, 6)));
    }

    [Fact]
    public void Brightness_factor_zero_gives_black()
    {
        using var x = Random(2, 4, 4);
        using var y = ColorJitterTransformer.AdjustBrightness(x, [0, 0]);
        Assert.Equal(0.0, Item(y.abs().max()));
    }

    [Fact]
    public void Contrast_factor_zero_gives_the_mean_grey_level_and_two_doubles_the_distance_to_it()
    {
        // Two pixels: gray = 0.2989 r + 0.587 g + 0.114 b.
        using var x = torch.tensor(new[] { 0.2f, 0.6f, 0.4f, 0.4f, 0.3f, 0.5f }, 1, 3, 1, 2);
        var gray = new[] { 0.2989 * 0.2 + 0.587 * 0.4 + 0.114 * 0.3, 0.2989 * 0.6 + 0.587 * 0.4 + 0.114 * 0.5 };
        var mean = gray.Average();
        using var flat = ColorJitterTransformer.AdjustContrast(x, [0]);
        Assert.All(Values(flat), v => Assert.Equal(mean, v, 6));
        using var doubled = ColorJitterTransformer.AdjustContrast(x, [2]);
        var input = Values(x);
        var output = Values(doubled);
        for (var i = 0; i < input.Length; i++)
        {
            Assert.Equal(Math.Clamp(2 * input[i] - mean, 0, 1), output[i], 6);
        }
    }

    [Fact]
    public void Saturation_factor_zero_gives_the_grey_image()
    {
        using var x = Pixels((1f, 0.5f, 0f), (0.1f, 0.2f, 0.9f));
        using var y = ColorJitterTransformer.AdjustSaturation(x, [0, 0]);
        var v = Values(y);
        var g0 = 0.2989 + 0.587 * 0.5;
        var g1 = 0.2989 * 0.1 + 0.587 * 0.2 + 0.114 * 0.9;
        Assert.All(v.Take(3), a => Assert.Equal(g0, a, 6));
        Assert.All(v.Skip(3), a => Assert.Equal(g1, a, 6));
    }

    [Fact]
    public void Hue_shifts_turn_primaries_into_each_other()
    {
        using var red = Pixels((1f, 0f, 0f), (1f, 0f, 0f), (1f, 0f, 0f));
        using var shifted = ColorJitterTransformer.AdjustHue(red, [1.0 / 3, -1.0 / 3, 0.5]);
        var v = Values(shifted);
        float[] expected = [0, 1, 0, /* green */ 0, 0, 1, /* blue */ 0, 1, 1 /* cyan */];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], v[i], 5);
        }
    }

    [Fact]
    public void Known_colours_have_their_textbook_HSV_values()
    {
        using var x = Pixels((1f, 0f, 0f), (1f, 1f, 0f), (0f, 0f, 1f), (0.5f, 0.5f, 0.5f), (0f, 0f, 0f), (0.5f, 0.25f, 0.25f));
        using var hsv = ColorSpace.RgbToHsv(x);
        var v = Values(hsv);
        double[] expected = [0, 1, 1, 1.0 / 6, 1, 1, 2.0 / 3, 1, 1, 0, 0, 0.5, 0, 0, 0, 0, 0.5, 0.5];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], v[i], 6);
        }
    }

    [Fact]
    public void RGB_to_HSV_and_back_is_the_identity_to_1e_5()
    {
        using var images = Random(16, 16, 16);
        using var greys = Random(2, 16, 16, seed: 5, c: 1);
        using var greyRgb = greys.expand(2, 3, 16, 16).contiguous();
        using var corners = Pixels((0f, 0f, 0f), (1f, 1f, 1f), (1f, 0f, 1f), (0f, 1f, 1f));
        foreach (var x in new[] { images, greyRgb, corners })
        {
            using var hsv = ColorSpace.RgbToHsv(x);
            using var back = ColorSpace.HsvToRgb(hsv);
            Assert.True(MaxAbsDiff(back, x) <= 1e-5, $"round trip off by {MaxAbsDiff(back, x)}");
            Assert.InRange(Item(hsv.min()), 0, 1);
            Assert.InRange(Item(hsv.max()), 0, 1);
        }
    }

    [Fact]
    public void Brightness_jitter_scales_each_row_by_one_factor_within_its_range()
    {
        var jitter = new RobustContext(1).Transforms.ColorJitter(brightness: 0.4, contrast: 0, saturation: 0, hue: 0, p: 1).Transformer;
        using var images = torch.full([50, 3, 4, 4], 0.5);
        using var output = jitter.Apply(images, Ids(50));
        // Each row is 0.5·b with b in [0.6, 1.4]; one value per row.
        using var flat = output.flatten(1);
        var rowMin = Values(flat.min(1).values);
        var rowMax = Values(flat.max(1).values);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(rowMin[i], rowMax[i]);
            Assert.InRange(rowMin[i] / 0.5, 0.6 - 1e-6, 1.4 + 1e-6);
        }
        Assert.True(rowMin.Distinct().Count() > 40);
    }

    [Fact]
    public void Jitter_with_every_range_zero_is_the_identity()
    {
        var jitter = new RobustContext(1).Transforms.ColorJitter(0, 0, 0, 0, p: 1).Transformer;
        using var images = Random(8, 8, 8);
        using var output = jitter.Apply(images, Ids(8));
        Assert.True(output.equal(images));
    }

    [Fact]
    public void Full_jitter_in_random_order_is_deterministic_in_range_and_changes_every_row()
    {
        var jitter = new RobustContext(1).Transforms.ColorJitter(0.4, 0.4, 0.4, 0.1, p: 1).Transformer;
        using var images = Random(32, 8, 8);
        using var a = jitter.Apply(images, Ids(32));
        using var b = jitter.Apply(images, Ids(32));
        Assert.True(a.equal(b));
        Assert.InRange(Item(a.min()), 0, 1);
        Assert.InRange(Item(a.max()), 0, 1);
        Assert.All(RowsChanged(a, images), Assert.True);
        // A row on its own is jittered exactly as inside the batch (the order is drawn per row).
        using var row = images.narrow(0, 5, 1);
        using var alone = jitter.Apply(row, [5]);
        using var inBatch = a.narrow(0, 5, 1);
        Assert.True(MaxAbsDiff(alone, inBatch) <= 1e-6);
    }

    [Fact]
    public void Hue_outside_zero_to_one_half_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RobustContext(1).Transforms.ColorJitter(hue: 0.6));
    }
}
