using static MlNetRobust.Transforms.Tests.Perturbations.PerturbationKit;

namespace MlNetRobust.Transforms.Tests.Perturbations;

public class NoiseTests
{
    [Fact]
    public void Gaussian_noise_has_mean_zero_and_standard_deviation_sigma()
    {
        var noise = new RobustContext(1).Transforms.GaussianNoise(std: 0.1, p: 1).Transformer;
        using var images = Constant(64, 0.5); // 196,608 values, far from the clamp
        using var noisy = noise.Apply(images, Ids(64));
        using var diff = noisy - images;
        var mean = Item(diff.mean());
        var std = Item(diff.std());
        Assert.InRange(mean, -0.002, 0.002);
        Assert.InRange(std, 0.098, 0.102);
    }

    [Fact]
    public void The_same_seed_gives_the_same_noise_and_another_seed_different_noise()
    {
        using var images = Random(8, 8, 8);
        var a = new RobustContext(1).Transforms.GaussianNoise(p: 1, seed: 42).Transformer;
        var b = new RobustContext(2).Transforms.GaussianNoise(p: 1, seed: 42).Transformer;
        var c = new RobustContext(1).Transforms.GaussianNoise(p: 1, seed: 43).Transformer;
        using var ya = a.Apply(images, Ids(8));
        using var yb = b.Apply(images, Ids(8));
        using var yc = c.Apply(images, Ids(8));
        Assert.True(ya.equal(yb));
        Assert.All(RowsChanged(ya, yc), Assert.True);
    }

    [Fact]
    public void A_row_gets_the_same_noise_whatever_batch_it_is_in_and_wherever_it_sits()
    {
        var noise = new RobustContext(3).Transforms.GaussianNoise(std: 0.2, p: 1).Transformer;
        using var image = Random(1, 8, 8);
        using var alone = noise.Apply(image, [17]);
        using var batch = image.expand(5, 3, 8, 8).contiguous();
        using var mixed = noise.Apply(batch, [4, 99, 17, 3, 1000]);
        using var row = mixed.narrow(0, 2, 1);
        Assert.True(row.equal(alone));
        using var other = mixed.narrow(0, 0, 1);
        Assert.False(other.equal(alone));
    }

    [Fact]
    public void A_new_salt_draws_new_noise_and_the_same_salt_repeats_it()
    {
        var noise = new RobustContext(4).Transforms.GaussianNoise(p: 1).Transformer;
        using var images = Random(4, 8, 8);
        using var epoch1 = noise.Apply(images, Ids(4), salt: 1);
        using var epoch1Again = noise.Apply(images, Ids(4), salt: 1);
        using var epoch2 = noise.Apply(images, Ids(4), salt: 2);
        Assert.True(epoch1.equal(epoch1Again));
        Assert.All(RowsChanged(epoch1, epoch2), Assert.True);
    }

    [Fact]
    public void Noisy_images_are_clamped_to_the_unit_range()
    {
        var noise = new RobustContext(5).Transforms.GaussianNoise(std: 1.0, p: 1).Transformer;
        using var images = Random(4, 8, 8);
        using var noisy = noise.Apply(images, Ids(4));
        Assert.Equal(0.0, Item(noisy.min()));
        Assert.Equal(1.0, Item(noisy.max()));
    }
}
