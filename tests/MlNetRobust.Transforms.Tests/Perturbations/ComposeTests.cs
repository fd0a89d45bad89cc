using MlNetRobust.Transforms.Perturbations;
using static MlNetRobust.Transforms.Tests.Perturbations.PerturbationKit;

namespace MlNetRobust.Transforms.Tests.Perturbations;

public class ComposeTests
{
    [Fact]
    public void Compose_applies_its_steps_in_order()
    {
        var t = new RobustContext(1).Transforms;
        var compose = t.Compose(t.HorizontalFlip(p: 1), t.RandomRotation(degrees: (90, 90), p: 1)).Transformer;
        using var images = Random(3, 6, 6);
        using var output = compose.Apply(images, Ids(3));
        using var flipped = images.flip(3);
        using var expected = flipped.rot90(1, -2, -1);
        Assert.True(MaxAbsDiff(output, expected) <= 1e-6);
    }

    [Fact]
    public void Two_flips_cancel_and_a_composite_with_p_zero_is_the_identity()
    {
        var t = new RobustContext(1).Transforms;
        using var images = Random(3, 6, 6);
        using var twice = t.Compose(t.HorizontalFlip(p: 1), t.HorizontalFlip(p: 1)).Transformer.Apply(images, Ids(3));
        Assert.True(twice.equal(images));
        using var never = t.Compose([t.GaussianNoise(p: 1)], p: 0).Transformer.Apply(images, Ids(3));
        Assert.True(never.equal(images));
    }

    [Fact]
    public void Noise_jitter_flip_and_rotation_each_at_three_tenths_leave_about_a_quarter_of_rows_untouched()
    {
        var t = new RobustContext(1).Transforms;
        var augment = t.Compose(t.GaussianNoise(p: 0.3), t.ColorJitter(p: 0.3), t.HorizontalFlip(p: 0.3), t.RandomRotation(p: 0.3)).Transformer;
        using var images = Random(1000, 4, 4);
        using var output = augment.Apply(images, Ids(1000));
        var untouched = RowsChanged(output, images).Count(c => !c);
        Assert.InRange(untouched, 240 - 45, 240 + 45); // 0.7⁴ = 0.24, ± 3σ
        Assert.Equal(3, augment.RequiredChannels);
    }

    [Fact]
    public void Random_choice_gives_each_row_exactly_one_of_its_steps()
    {
        var t = new RobustContext(1).Transforms;
        var choice = t.RandomChoice([t.HorizontalFlip(p: 1), t.RandomRotation(degrees: (180, 180), p: 1)], weights: [3, 1]).Transformer;
        using var images = Random(400, 4, 4);
        using var output = choice.Apply(images, Ids(400));
        using var flipped = images.flip(3);
        using var turned = images.rot90(2, -2, -1);
        int flips = 0, turns = 0;
        for (var i = 0; i < 400; i++)
        {
            using var row = output.narrow(0, i, 1);
            using var f = flipped.narrow(0, i, 1);
            using var r = turned.narrow(0, i, 1);
            var isFlip = MaxAbsDiff(row, f) <= 1e-6;
            var isTurn = MaxAbsDiff(row, r) <= 1e-6;
            Assert.True(isFlip ^ isTurn);
            flips += isFlip ? 1 : 0;
            turns += isTurn ? 1 : 0;
        }
        Assert.InRange(flips, 300 - 27, 300 + 27); // weights 3 : 1
        Assert.Equal(400, flips + turns);
    }

    [Fact]
    public void A_composite_row_is_perturbed_the_same_alone_or_in_a_batch()
    {
        var t = new RobustContext(2).Transforms;
        var augment = t.Compose(t.RandomCrop(padding: 2), t.HorizontalFlip(), t.ColorJitter(p: 0.8), t.GaussianNoise(p: 0.5)).Transformer;
        using var images = Random(20, 8, 8);
        using var all = augment.Apply(images, Ids(20, first: 500), salt: 3);
        for (var i = 0; i < 20; i += 7)
        {
            using var row = images.narrow(0, i, 1);
            using var alone = augment.Apply(row, [500 + i], salt: 3);
            using var inBatch = all.narrow(0, i, 1);
            Assert.True(MaxAbsDiff(alone, inBatch) <= 1e-6);
        }
    }

    [Fact]
    public void A_composite_needs_at_least_one_step()
    {
        Assert.Throws<ArgumentException>(() => new ComposeOptions { Steps = [] }.CreateTransformer());
        Assert.Throws<ArgumentException>(() => new RandomChoiceOptions { Steps = [new HorizontalFlipOptions()], Weights = [1, 2] }.CreateTransformer());
    }
}
