using MlNetRobust.Data;

namespace MlNetRobust.Transforms.Tests.Data;

public sealed class LazinessProjectionTests
{
    [Fact]
    public void Reading_labels_of_the_real_cifar_test_set_decodes_no_image()
    {
        var root = MlNetRobust.Transforms.Data.Cifar10.Locate();
        if (root is null)
        {
            return; // the data set is not on this machine (the integration tests say so)
        }
        var ctx = new RobustContext(seed: 1);
        using var view = ctx.Data.LoadFromImageFolder(Path.Combine(root, "test"), cache: false);
        var labels = view.ReadKeys();
        Assert.Equal(10_000, labels.Length);
        Assert.All(Enumerable.Range(0, 10), k => Assert.Equal(1000, labels.Count(l => l == k)));
        Assert.Equal(0, view.DecodedCount);
    }
}
