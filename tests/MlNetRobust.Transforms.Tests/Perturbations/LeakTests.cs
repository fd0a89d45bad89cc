using MlNetRobust.TestSupport;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Corruptions;
using MlNetRobust.Transforms.Perturbations;
using static MlNetRobust.Transforms.Tests.Perturbations.PerturbationKit;

namespace MlNetRobust.Transforms.Tests.Perturbations;

/// <summary>Runs alone: it counts every native tensor of the process.</summary>
[CollectionDefinition(nameof(NativeTensorCount), DisableParallelization = true)]
public sealed class NativeTensorCount;

[Collection(nameof(NativeTensorCount))]
public class LeakTests
{
    [Fact]
    public void Applying_every_perturbation_and_corruption_leaves_no_native_tensor_behind()
    {
        var t = new RobustContext(1).Transforms;
        var steps = PersistenceTests.Registry().Select(make => make(t).Transformer).ToList();
        steps.AddRange(Enum.GetValues<Corruption>().Select(c => (ImagePerturbation)t.Corrupt(c, 5, p: 0.5).Transformer));
        using var images = Random(8, 16, 16);
        var ids = Ids(8);
        foreach (var step in steps)
        {
            using (step.Apply(images, ids)) { } // first calls may fill caches
        }
        Garbage.CollectNow();
        var before = torch.live_tensor_count;
        foreach (var step in steps)
        {
            using (step.Apply(images, ids, salt: 1)) { }
        }
        Assert.Equal(before, torch.live_tensor_count);
    }
}
