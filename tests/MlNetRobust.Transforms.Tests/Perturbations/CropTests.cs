using MlNetRobust.Data;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;
using static MlNetRobust.Transforms.Tests.Perturbations.PerturbationKit;

namespace MlNetRobust.Transforms.Tests.Perturbations;

public class CropTests
{
    private static readonly RobustContext s_ctx = new(11);

    [Fact]
    public void A_crop_at_offset_equal_to_the_padding_returns_the_image_exactly()
    {
        using var images = Random(3, 8, 8);
        using var cropped = RandomCropTransformer.Crop(images, [4, 4, 4], [4, 4, 4], 4);
        Assert.True(cropped.equal(images));
    }

    [Fact]
    public void A_crop_at_the_top_left_shifts_the_image_and_fills_with_the_constant()
    {
        using var image = Distinct4x4();
        using var cropped = RandomCropTransformer.Crop(image, [0], [1], 2, BorderMode.Constant, fill: 0.25);
        var input = Values(image);
        var output = Values(cropped);
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < 4; y++)
            {
                for (var x = 0; x < 4; x++)
                {
                    // Output (y, x) is padded (y + 0, x + 1), i.e. source (y − 2, x − 1).
                    var (sy, sx) = (y - 2, x - 1);
                    var expected = sy < 0 || sx < 0 ? 0.25f : input[c * 16 + sy * 4 + sx];
                    Assert.Equal(expected, output[c * 16 + y * 4 + x]);
                }
            }
        }
    }

    [Fact]
    public void Reflect_padding_mirrors_without_repeating_the_edge()
    {
        using var image = Distinct4x4();
        using var cropped = RandomCropTransformer.Crop(image, [0], [0], 2, BorderMode.Reflect101);
        var input = Values(image);
        var output = Values(cropped);
        static int Reflect(int i) => Math.Abs(i); // reflect-101 for indices ≥ −3 on a 4-pixel side
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < 4; y++)
            {
                for (var x = 0; x < 4; x++)
                {
                    Assert.Equal(input[c * 16 + Reflect(y - 2) * 4 + Reflect(x - 2)], output[c * 16 + y * 4 + x]);
                }
            }
        }
    }

    [Fact]
    public void Symmetric_and_replicate_padding_repeat_the_edge()
    {
        using var image = Distinct4x4();
        using var symmetric = RandomCropTransformer.Crop(image, [0], [0], 2, BorderMode.Symmetric);
        using var replicate = RandomCropTransformer.Crop(image, [0], [0], 2, BorderMode.Replicate);
        var input = Values(image);
        // Symmetric: padded index −1 → 0, −2 → 1. Replicate: both → 0.
        Assert.Equal(input[1 * 4 + 1], Values(symmetric)[0]);
        Assert.Equal(input[0], Values(replicate)[0]);
        Assert.Equal(input[0], Values(symmetric)[1 * 4 + 1]);
    }

    [Fact]
    public void Random_offsets_cover_the_whole_range_and_every_crop_is_a_window_of_the_padded_image()
    {
        const int n = 60;
        using var one = Distinct4x4();
        using var images = one.expand(n, 3, 4, 4).contiguous();
        var crop = s_ctx.Transforms.RandomCrop(padding: 2).Transformer;
        using var cropped = crop.Apply(images, Ids(n));
        var seen = new HashSet<(int, int)>();
        for (var i = 0; i < n; i++)
        {
            using var row = cropped.narrow(0, i, 1);
            var match = (from top in Enumerable.Range(0, 5)
                         from left in Enumerable.Range(0, 5)
                         let candidate = RandomCropTransformer.Crop(one, [top], [left], 2)
                         let same = Dispose(candidate, candidate.equal(row))
                         where same
                         select (top, left)).ToList();
            Assert.NotEmpty(match);
            seen.Add(match[0]);
        }
        Assert.True(seen.Count >= 15, $"only {seen.Count} of 25 offsets drawn in {n} rows");
    }

    [Fact]
    public void Reflect_padding_wider_than_the_image_fails_when_the_pipeline_is_checked()
    {
        using var view = View(Random(1, 4, 4));
        var crop = s_ctx.Transforms.RandomCrop(padding: 4, paddingMode: BorderMode.Reflect101);
        Assert.Throws<SchemaException>(() => crop.Fit(view));
    }

    private static bool Dispose(Tensor t, bool value)
    {
        t.Dispose();
        return value;
    }
}
