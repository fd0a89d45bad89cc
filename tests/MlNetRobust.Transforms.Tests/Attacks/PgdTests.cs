using MlNetRobust.Models;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Attacks;

namespace MlNetRobust.Transforms.Tests.Attacks;

public sealed class PgdTests
{
    [Fact]
    public void Linf_pgd_stays_in_the_eps_ball_and_in_unit_range_and_raises_every_loss()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        var (images, labels) = AttackTestData.Batch(16, 5, seed: 2);
        using var _ = images;
        using var __ = labels;
        using var gen = new Generator(1);
        using var adversarial = new Pgd(model).Perturb(images, labels, gen);

        using var delta = adversarial.sub(images);
        Assert.True(AttackTestData.MaxAbs(delta) <= Pgd.Defaults.Eps + 1e-6);
        Assert.True(AttackTestData.MaxAbs(delta) > Pgd.Defaults.Eps - 1e-6, "PGD should use its budget");
        AssertInUnitRange(adversarial);
        var clean = model.CrossEntropy(images, labels);
        var attacked = model.CrossEntropy(adversarial, labels);
        Assert.All(clean.Zip(attacked), p => Assert.True(p.Second > p.First, $"loss {p.First} → {p.Second}"));
    }

    [Fact]
    public void L2_pgd_stays_in_the_eps_ball_and_in_unit_range_and_raises_every_loss()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        var (images, labels) = AttackTestData.Batch(16, 5, seed: 2);
        using var _ = images;
        using var __ = labels;
        using var gen = new Generator(1);
        using var adversarial = new Pgd(model, eps: 0.5, stepSize: 0.1, norm: AttackNorm.L2).Perturb(images, labels, gen);

        using var delta = adversarial.sub(images);
        Assert.All(AttackTestData.L2(delta), n => Assert.InRange(n, 0.3, 0.5 + 1e-5));
        AssertInUnitRange(adversarial);
        var clean = model.CrossEntropy(images, labels);
        var attacked = model.CrossEntropy(adversarial, labels);
        Assert.All(clean.Zip(attacked), p => Assert.True(p.Second > p.First, $"loss {p.First} → {p.Second}"));
    }

    [Fact]
    public void L2_random_start_lies_inside_the_ball()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        var (images, labels) = AttackTestData.Batch(16, 5, seed: 2);
        using var _ = images;
        using var __ = labels;
        using var gen = new Generator(1);
        using var start = new Pgd(model, eps: 0.5, steps: 0, norm: AttackNorm.L2).Perturb(images, labels, gen);
        using var delta = start.sub(images);
        var norms = AttackTestData.L2(delta);
        Assert.All(norms, n => Assert.InRange(n, 0, 0.5 + 1e-5));
        Assert.True(norms.Distinct().Count() > 8, "radii should vary");
    }

    [Fact]
    public void One_step_pgd_without_random_start_and_step_eps_is_fgsm()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        var (images, labels) = AttackTestData.Batch(16, 5, seed: 6);
        using var _ = images;
        using var __ = labels;
        using var fgsm = new Fgsm(model, eps: 0.03).Perturb(images, labels);
        using var pgd = new Pgd(model, eps: 0.03, stepSize: 0.03, steps: 1, randomStart: false).Perturb(images, labels);
        Assert.True(pgd.allclose(fgsm, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Targeted_pgd_lowers_the_loss_toward_the_target()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        var (images, labels) = AttackTestData.Batch(16, 5, seed: 2);
        using var _ = images;
        using var __ = labels;
        using var targets = labels.add(1).remainder(5);
        using var gen = new Generator(1);
        using var adversarial = new Pgd(model) { Targeted = true }.Perturb(images, targets, gen);
        var clean = model.CrossEntropy(images, targets);
        var attacked = model.CrossEntropy(adversarial, targets);
        Assert.All(clean.Zip(attacked), p => Assert.True(p.Second < p.First, $"loss to target {p.First} → {p.Second}"));
    }

    [Fact]
    public void Pgd_on_an_embedding_model_moves_further_from_the_clean_embedding_than_its_random_start()
    {
        using var model = new TinyModel(3, 4, 4, 8, ImageModelOutput.Embedding);
        var (images, labels) = AttackTestData.Batch(16, 5, seed: 2);
        using var _ = images;
        using var __ = labels;
        long[] rows = Enumerable.Range(0, 16).Select(i => (long)i).ToArray();
        // Same per-row seed: the random start of both is the same point.
        using var start = new Pgd(model, steps: 0).Perturb(images, null, seed: 3, rowIds: rows);
        using var adversarial = new Pgd(model).Perturb(images, null, seed: 3, rowIds: rows);
        var atStart = model.CosineDistance(start, images);
        var attacked = model.CosineDistance(adversarial, images);
        Assert.All(atStart.Zip(attacked), p => Assert.True(p.Second > p.First, $"1 − cos {p.First} → {p.Second}"));
        using var delta = adversarial.sub(images);
        Assert.True(AttackTestData.MaxAbs(delta) <= Pgd.Defaults.Eps + 1e-6);
        Assert.Throws<InvalidOperationException>(() => new Pgd(model, randomStart: false).Perturb(images));
    }

    [Fact]
    public void The_same_generator_seed_gives_the_same_result()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        var (images, labels) = AttackTestData.Batch(4, 5, seed: 2);
        using var _ = images;
        using var __ = labels;
        using var g1 = new Generator(5);
        using var g2 = new Generator(5);
        using var a = new Pgd(model, steps: 3).Perturb(images, labels, g1);
        using var b = new Pgd(model, steps: 3).Perturb(images, labels, g2);
        Assert.True(a.equal(b));
    }

    [Fact]
    public void An_empty_batch_gives_an_empty_batch()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        using var images = torch.zeros([0, 3, 4, 4]);
        using var labels = torch.zeros([0], ScalarType.Int64);
        using var adversarial = new Pgd(model).Perturb(images, labels, seed: 1, rowIds: []);
        Assert.Equal([0L, 3, 4, 4], adversarial.shape);
    }

    [Fact]
    public void Defaults_are_the_fields_and_bad_settings_are_refused()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        var pgd = new Pgd(model);
        Assert.Equal((8 / 255.0, 2 / 255.0, 10, true, AttackNorm.Linf), (pgd.Eps, pgd.StepSize, pgd.Steps, pgd.RandomStart, pgd.Norm));
        var l2 = new Pgd(model, norm: AttackNorm.L2);
        Assert.Equal((0.5, 0.1), (l2.Eps, l2.StepSize));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pgd(model, eps: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pgd(model, stepSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pgd(model, steps: -1));
    }

    private static void AssertInUnitRange(Tensor t)
    {
        using var min = t.min();
        using var max = t.max();
        Assert.True(min.item<float>() >= 0 && max.item<float>() <= 1);
    }
}
