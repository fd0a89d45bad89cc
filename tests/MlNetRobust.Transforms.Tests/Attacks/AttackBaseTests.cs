using MlNetRobust.Models;
using MlNetRobust.TestSupport;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Attacks;

namespace MlNetRobust.Transforms.Tests.Attacks;

public sealed class AttackBaseTests
{
    [Fact]
    public void Crafting_leaves_the_training_flag_batch_norm_statistics_and_parameter_grads_untouched()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        var (images, labels) = AttackTestData.Batch(8, 5, seed: 2);
        using var _ = images;
        using var __ = labels;
        var buffers = model.Net.named_buffers().Select(b => (b.name, value: b.buffer.clone().DetachFromDisposeScope())).ToList();
        Assert.True(model.Net.training);

        Attack[] attacks = [new Fgsm(model), new Pgd(model), new Pgd(model, norm: AttackNorm.L2), new Pgd(model, randomStart: false) { Targeted = true }];
        using var gen = new Generator(3);
        foreach (var attack in attacks)
        {
            using var adversarial = attack.Perturb(images, labels, gen);
        }

        Assert.True(model.Net.training, "the attack must restore training mode");
        Assert.NotEmpty(model.ModesSeen);
        Assert.All(model.ModesSeen, training => Assert.False(training));
        foreach (var (name, before) in buffers)
        {
            using var now = model.Net.named_buffers().Single(b => b.name == name).buffer.clone();
            Assert.True(now.equal(before), $"buffer {name} changed during crafting");
            before.Dispose();
        }
        Assert.All(model.Net.parameters(), p => Assert.Null(p.grad));

        // The guard is what kept them: a forward pass in training mode does move the running statistics.
        using var meanBefore = model.Bn.running_mean!.clone();
        using (torch.no_grad())
        using (model.Forward(images)) { }
        using var meanAfter = model.Bn.running_mean!.clone();
        Assert.False(meanAfter.equal(meanBefore));
    }

    [Fact]
    public void An_evaluation_mode_model_stays_in_evaluation_mode()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        model.Net.eval();
        var (images, labels) = AttackTestData.Batch(2, 5, seed: 2);
        using var _ = images;
        using var __ = labels;
        using var adversarial = new Fgsm(model).Perturb(images, labels);
        Assert.False(model.Net.training);
    }

    [Fact]
    public void Attacks_work_under_no_grad_and_leave_it_disabled()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        var (images, labels) = AttackTestData.Batch(4, 5, seed: 2);
        using var _ = images;
        using var __ = labels;
        using (torch.no_grad())
        {
            using var adversarial = new Fgsm(model).Perturb(images, labels);
            Assert.False(torch.is_grad_enabled());
            Assert.True(AttackTestData.MaxAbs(adversarial.sub(images)) > 0);
            Assert.False(adversarial.requires_grad);
        }
    }

    [Fact]
    public void Images_outside_the_unit_range_are_refused_because_normalisation_belongs_in_the_model()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        var (images, labels) = AttackTestData.Batch(2, 5, seed: 2);
        using var _ = images;
        using var __ = labels;
        using var normalised = images.sub(0.5).div(0.25);
        var e = Assert.Throws<ArgumentException>(() => new Fgsm(model).Perturb(normalised, labels));
        Assert.Contains("[0, 1] pixel space", e.Message);
    }

    [Fact]
    public void A_classifier_attack_without_labels_is_refused()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        var (images, labels) = AttackTestData.Batch(2, 5, seed: 2);
        using var _ = images;
        using var __ = labels;
        var e = Assert.Throws<ArgumentException>(() => new Pgd(model).Perturb(images));
        Assert.Contains("true labels", e.Message);
        using var wrong = torch.zeros([3], ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => new Pgd(model).Perturb(images, wrong));
    }

    [Fact]
    public void A_custom_loss_replaces_the_default_objective()
    {
        // Raising the logit of class 0 (a custom objective): every image's class-0 score goes up.
        using var model = new TinyModel(3, 4, 4, 5);
        var (images, labels) = AttackTestData.Batch(6, 5, seed: 4);
        using var _ = images;
        using var __ = labels;
        var attack = new Pgd(model, randomStart: false) { Loss = (output, _) => output.select(1, 0).sum() };
        using var adversarial = attack.Perturb(images);
        using var eval = model.EvaluationMode();
        using var scope = torch.NewDisposeScope();
        var before = model.Net.forward(images).select(1, 0).data<float>();
        var after = model.Net.forward(adversarial).select(1, 0).data<float>();
        Assert.All(before.Zip(after), p => Assert.True(p.Second > p.First));
    }

    [Fact]
    public void The_same_per_row_seed_gives_each_image_the_same_attack_in_any_batch()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        var (images, labels) = AttackTestData.Batch(6, 5, seed: 4);
        using var _ = images;
        using var __ = labels;
        // Two steps: enough to depend on the start (a long PGD on a linear model ends in the same corner from anywhere).
        var pgd = new Pgd(model, steps: 2);
        using var all = pgd.Perturb(images, labels, seed: 99, rowIds: [10, 11, 12, 13, 14, 15]);
        using var index = torch.tensor(new long[] { 4, 1 });
        using var someImages = images.index_select(0, index);
        using var someLabels = labels.index_select(0, index);
        using var some = pgd.Perturb(someImages, someLabels, seed: 99, rowIds: [14, 11]);
        using var expected = all.index_select(0, index);
        Assert.True(some.allclose(expected, rtol: 0, atol: 1e-6));
        using var other = pgd.Perturb(images, labels, seed: 100, rowIds: [10, 11, 12, 13, 14, 15]);
        Assert.False(other.equal(all));
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AttackNativeMemoryCollection
{
    public const string Name = "Attack native memory (runs alone: it counts live tensors)";
}

[Collection(AttackNativeMemoryCollection.Name)]
public sealed class AttackMemoryTests
{
    [Fact]
    public void Attacks_free_every_temporary_tensor()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        using var embedding = new TinyModel(3, 4, 4, 8, ImageModelOutput.Embedding);
        var (images, labels) = AttackTestData.Batch(8, 5, seed: 2);
        using var _ = images;
        using var __ = labels;
        using var gen = new Generator(1);
        using (new Pgd(model).Perturb(images, labels, gen)) { }
        Garbage.CollectNow();
        var before = torch.live_tensor_count;
        using (new Fgsm(model).Perturb(images, labels, gen)) { }
        using (new Pgd(model, norm: AttackNorm.L2).Perturb(images, labels, seed: 1, rowIds: [0, 1, 2, 3, 4, 5, 6, 7])) { }
        using (new Pgd(embedding).Perturb(images, null, gen)) { }
        Assert.Equal(before, torch.live_tensor_count);
    }
}
