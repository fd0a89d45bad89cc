using MlNetRobust.Torch;
using MlNetRobust.Transforms.Corruptions;
using MlNetRobust.Transforms.Perturbations;
using static MlNetRobust.Transforms.Tests.Perturbations.PerturbationKit;

namespace MlNetRobust.Transforms.Tests.Perturbations;

public class CorruptionTests
{
    private static readonly Corruption[] s_random =
        [Corruption.GaussianNoise, Corruption.ShotNoise, Corruption.ImpulseNoise, Corruption.SpeckleNoise, Corruption.MotionBlur, Corruption.Snow, Corruption.Fog, Corruption.ElasticTransform];

    public static TheoryData<Corruption, int> EveryCorruptionAndSeverity()
    {
        var data = new TheoryData<Corruption, int>();
        foreach (var c in Enum.GetValues<Corruption>())
        {
            for (var s = 1; s <= 5; s++)
            {
                data.Add(c, s);
            }
        }
        return data;
    }

    public static TheoryData<Corruption> EveryCorruption() => [.. Enum.GetValues<Corruption>()];

    // A fixed test image: texture (for blur) over smooth colour (for the photometric corruptions).
    private static Tensor TestImages(int n = 4)
    {
        using var scope = torch.NewDisposeScope();
        var smooth = torch.nn.functional.interpolate(Random(n, 4, 4, seed: 3), 32, 32);
        var texture = Random(n, 32, 32, seed: 4);
        return (smooth * 0.7 + texture * 0.3).MoveToOuterDisposeScope();
    }

    private static Tensor Corrupt(Corruption corruption, int severity, Tensor images, ulong seed = 5, ulong salt = 0) =>
        new RobustContext(1).Transforms.Corrupt(corruption, severity, seed: seed).Transformer.Apply(images, Ids((int)images.size(0)), salt);

    [Theory]
    [MemberData(nameof(EveryCorruptionAndSeverity))]
    public void Every_corruption_keeps_the_shape_and_the_unit_range(Corruption corruption, int severity)
    {
        using var images = TestImages();
        using var corrupted = Corrupt(corruption, severity, images);
        Assert.Equal(images.shape, corrupted.shape);
        Assert.Equal(ScalarType.Float32, corrupted.dtype);
        using var finite = corrupted.isfinite();
        Assert.True(Item(finite.all().to(ScalarType.Float32)) == 1);
        Assert.InRange(Item(corrupted.min()), 0, 1);
        Assert.InRange(Item(corrupted.max()), 0, 1);
        Assert.True(MeanAbsDiff(corrupted, images) > 1e-4, "the corruption changed nothing");
    }

    [Theory]
    [MemberData(nameof(EveryCorruption))]
    public void Every_corruption_is_deterministic_for_a_seed(Corruption corruption)
    {
        using var images = TestImages();
        using var a = Corrupt(corruption, 3, images);
        using var b = Corrupt(corruption, 3, images);
        Assert.True(a.equal(b));
        using var other = Corrupt(corruption, 3, images, seed: 6);
        Assert.Equal(s_random.Contains(corruption), !other.equal(a));
    }

    [Theory]
    [InlineData(Corruption.GaussianNoise)]
    [InlineData(Corruption.ShotNoise)]
    [InlineData(Corruption.ImpulseNoise)]
    [InlineData(Corruption.SpeckleNoise)]
    [InlineData(Corruption.GaussianBlur)]
    [InlineData(Corruption.DefocusBlur)]
    [InlineData(Corruption.MotionBlur)]
    [InlineData(Corruption.ZoomBlur)]
    [InlineData(Corruption.Contrast)]
    [InlineData(Corruption.Brightness)]
    [InlineData(Corruption.JpegCompression)]
    public void The_distance_from_the_clean_image_grows_with_severity(Corruption corruption)
    {
        using var images = TestImages(8);
        var distances = Enumerable.Range(1, 5).Select(s =>
        {
            using var y = Corrupt(corruption, s, images);
            return MeanAbsDiff(y, images);
        }).ToArray();
        for (var s = 1; s < 5; s++)
        {
            // The reference's motion blur (6, σ 2) and (8, σ 2) differ only in taps weighing < 1e-9: a plateau.
            var plateau = corruption == Corruption.MotionBlur && s == 3;
            Assert.True(plateau ? distances[s] >= distances[s - 1] - 1e-6 : distances[s] > distances[s - 1],
                $"{corruption}: severity {s + 1} is no further than {s}: {string.Join(", ", distances.Select(d => d.ToString("G4")))}");
        }
    }

    [Fact]
    public void A_row_is_corrupted_the_same_way_alone_or_in_a_batch()
    {
        using var images = TestImages(6);
        foreach (var corruption in s_random)
        {
            var t = new RobustContext(1).Transforms.Corrupt(corruption, 4, seed: 8).Transformer;
            using var all = t.Apply(images, [10, 11, 12, 13, 14, 15]);
            using var row = images.narrow(0, 4, 1);
            using var alone = t.Apply(row, [14]);
            using var inBatch = all.narrow(0, 4, 1);
            Assert.True(MaxAbsDiff(alone, inBatch) <= 1e-6, $"{corruption}: off by {MaxAbsDiff(alone, inBatch)}");
        }
    }

    [Theory]
    [InlineData(0.5, 500)] // λ = 250: rejection sampling
    [InlineData(0.1, 50)]  // λ = 5: inversion
    public void Shot_noise_counts_are_Poisson_with_the_photon_budget(double level, double photons)
    {
        using var images = Constant(32, level);
        using var rates = images * photons;
        var rows = RowRandomness.For(3, Ids(32), 0);
        using var counts = PoissonSampler.Sample(rates, rows);
        var lambda = level * photons;
        Assert.InRange(Item(counts.mean()), lambda - 0.02 * Math.Sqrt(lambda) * 3, lambda + 0.02 * Math.Sqrt(lambda) * 3);
        Assert.InRange(Item(counts.var()), lambda * 0.97, lambda * 1.03);
        using var fractional = counts - counts.round();
        Assert.Equal(0.0, Item(fractional.abs().max()));
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(3)]
    [InlineData(9.99)]
    [InlineData(10)]
    [InlineData(40)]
    public void The_Poisson_sampler_has_mean_and_variance_lambda(double lambda)
    {
        using var rates = torch.full([64, 3, 32, 32], lambda);
        using var counts = PoissonSampler.Sample(rates, RowRandomness.For(11, Ids(64), 0));
        var n = 64 * 3 * 32 * 32;
        var tolerance = 4 * Math.Sqrt(lambda / n);
        Assert.InRange(Item(counts.mean()), lambda - tolerance, lambda + tolerance);
        Assert.InRange(Item(counts.var()), lambda * 0.97, lambda * 1.03);
        Assert.True(Item(counts.min()) >= 0);
    }

    [Fact]
    public void Log_factorial_matches_the_sum_of_logs()
    {
        using var k = torch.arange(0, 60, 1, ScalarType.Float64);
        var values = PoissonSampler.LogFactorial(k).data<double>();
        for (var i = 0; i < 60; i++)
        {
            Assert.Equal(Enumerable.Range(1, i).Sum(j => Math.Log(j)), values[i], 9);
        }
    }

    [Fact]
    public void Impulse_noise_replaces_the_given_fraction_of_values_by_black_and_white_equally()
    {
        using var images = Constant(32, 0.5);
        using var noisy = Corrupt(Corruption.ImpulseNoise, 5, images); // 7%
        var v = Values(noisy);
        var white = v.Count(x => x == 1f) / (double)v.Length;
        var black = v.Count(x => x == 0f) / (double)v.Length;
        Assert.InRange(white + black, 0.066, 0.074);
        Assert.InRange(white / (white + black), 0.46, 0.54);
        Assert.Equal(v.Length, v.Count(x => x is 0f or 0.5f or 1f));
    }

    [Fact]
    public void Zoom_blur_uses_numpys_arange_factor_counts()
    {
        Assert.Equal([7, 12, 16, 21, 26], Enumerable.Range(1, 5).Select(s => ZoomBlurCorruption.Factors(s).Length));
        Assert.Equal(1.06, ZoomBlurCorruption.Factors(1)[^1], 12);
        Assert.Equal(1.25, ZoomBlurCorruption.Factors(5)[^1], 12);
    }

    [Fact]
    public void A_zoom_by_one_is_the_identity_and_every_zoom_row_sums_to_one()
    {
        var identity = ZoomBlurCorruption.ClippedZoom(32, 1.0);
        for (var i = 0; i < 32; i++)
        {
            Assert.Equal(1.0, identity[i, i]);
        }
        var zoom = ZoomBlurCorruption.ClippedZoom(32, 1.17);
        for (var i = 0; i < 32; i++)
        {
            Assert.Equal(1.0, Enumerable.Range(0, 32).Sum(j => zoom[i, j]), 12);
        }
    }

    [Fact]
    public void Pixelate_follows_Pillows_box_filter()
    {
        // Values read off Pillow 9.4 (Image.resize of one-hot float images with Image.BOX): a pixel belongs to an
        // output pixel when its centre falls in that output pixel's box; all members weigh the same.
        var down = PixelateCorruption.BoxResize(32, 30);
        for (var o = 0; o < 4; o++)
        {
            Assert.Equal(1.0, down[o, o], 12);
        }
        var half = PixelateCorruption.BoxResize(32, 20);
        Assert.Equal([0.5, 0.5, 0, 0, 0, 0], Enumerable.Range(0, 6).Select(i => half[0, i]));
        Assert.Equal([0, 0, 1.0, 0, 0, 0], Enumerable.Range(0, 6).Select(i => half[1, i]));
        Assert.Equal([0, 0, 0, 0.5, 0.5, 0], Enumerable.Range(0, 6).Select(i => half[2, i]));
        // Upscaling by BOX is nearest neighbour.
        var up = PixelateCorruption.BoxResize(30, 32);
        for (var o = 0; o < 32; o++)
        {
            Assert.Equal(1, Enumerable.Range(0, 30).Count(i => up[o, i] != 0));
        }
        // Severity 5 (int(32·0.65) = 20 pixels) makes 20-ish distinct columns in a column ramp.
        using var ramp = torch.arange(0, 32, 1, ScalarType.Float32).div(31).view(1, 1, 1, 32).expand(1, 3, 32, 32).contiguous();
        using var pixelated = PixelateCorruption.Apply(ramp, 5);
        using var firstRow = pixelated.select(2, 0).select(1, 0).flatten();
        Assert.InRange(Values(firstRow).Distinct().Count(), 18, 22);
    }

    [Theory]
    [InlineData(1, PillowReference.Pixelate95)]
    [InlineData(5, PillowReference.Pixelate65)]
    public void Pixelate_matches_Pillows_BOX_resizes_up_to_8_bit_rounding(int severity, string pillow)
    {
        using var image = FromPillow(PillowReference.Image);
        using var expected = FromPillow(pillow);
        using var actual = PixelateCorruption.Apply(image, severity);
        Assert.True(MaxAbsDiff(actual, expected) <= 1.0 / 255 + 1e-6, $"max {MaxAbsDiff(actual, expected) * 255:F2}/255");
    }

    [Fact]
    public void The_defocus_disk_is_normalised_symmetric_and_grows_with_the_radius()
    {
        foreach (var (radius, alias) in DefocusBlurCorruption.Severities)
        {
            var k = DefocusBlurCorruption.Disk(radius, alias);
            var n = k.GetLength(0);
            var sum = 0.0;
            for (var y = 0; y < n; y++)
            {
                for (var x = 0; x < n; x++)
                {
                    sum += k[y, x];
                    Assert.Equal(k[y, x], k[x, y], 12);
                    Assert.Equal(k[y, x], k[n - 1 - y, x], 12);
                }
            }
            Assert.Equal(1.0, sum, 6);
        }
        Assert.Equal(3, DefocusBlurCorruption.Disk(1.5, 0.1).GetLength(0) - 2); // 3×3 disk plus its blur ring
    }

    [Fact]
    public void Motion_blur_at_angle_zero_smears_a_point_to_its_left_with_Gaussian_weights()
    {
        var image = new float[3 * 1 * 24];
        image[12] = image[24 + 12] = image[48 + 12] = 1; // one bright column at x = 12 in a 1×24 image
        using var x = torch.tensor(image, 1, 3, 1, 24);
        using var blurred = MotionBlurCorruption.Blur(x, radius: 2, sigma: 1, degrees: [0]);
        var row = Values(blurred).Take(24).ToArray();
        // Output x reads inputs x + i for i = 0..4 (width 2·2 + 1), weights exp(−i²/2) normalised.
        var w = Enumerable.Range(0, 5).Select(i => Math.Exp(-i * i / 2.0)).ToArray();
        var total = w.Sum();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(w[i] / total, row[12 - i], 6);
        }
        Assert.Equal(0f, row[13]);
        Assert.Equal(0f, row[7]);
    }

    [Fact]
    public void The_inverse_affine_of_unmoved_points_is_the_identity()
    {
        (double, double)[] points = [(26, 26), (26, 6), (6, 6)];
        var m = ElasticTransformCorruption.InverseAffine(points, points);
        double[] identity = [1, 0, 0, 0, 1, 0];
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(identity[i], m[i], 12);
        }
        // A pure shift by (+2, −1) is undone by (−2, +1).
        var shifted = ElasticTransformCorruption.InverseAffine(points, [(28, 25), (28, 5), (8, 5)]);
        Assert.Equal(-2, shifted[2], 9);
        Assert.Equal(1, shifted[5], 9);
    }

    [Fact]
    public void Fog_fractals_are_in_the_unit_range_and_differ_by_row()
    {
        using var fractal = FogCorruption.PlasmaFractal(RowRandomness.For(1, Ids(4), 0), 32, 2);
        Assert.Equal([4L, 32, 32], fractal.shape);
        Assert.Equal(0.0, Item(fractal.min()));
        Assert.Equal(1.0, Item(fractal.max()));
        using var a = fractal.narrow(0, 0, 1);
        using var b = fractal.narrow(0, 1, 1);
        Assert.False(a.equal(b));
    }

    [Fact]
    public void Bad_severities_are_refused()
    {
        var ctx = new RobustContext(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => ctx.Transforms.Corrupt(Corruption.Fog, severity: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ctx.Transforms.Corrupt(Corruption.Fog, severity: 6));
    }
}
