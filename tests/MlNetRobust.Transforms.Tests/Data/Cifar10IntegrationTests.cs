using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Transforms.Data;
using Xunit.Abstractions;

namespace MlNetRobust.Transforms.Tests.Data;

/// <summary>The real CIFAR-10 JPEG copy (../shared/datasets/cifar10-jpg), when this machine has it.</summary>
public class Cifar10IntegrationTests(ITestOutputHelper output)
{
    [Fact]
    public void Three_hundred_real_test_images_load_as_32x32_rgb_with_their_class_labels()
    {
        var folder = Cifar10.Locate();
        if (folder is null)
        {
            output.WriteLine("skipped: the CIFAR-10 JPEG copy was not found (Cifar10.Locate() returned null; set MLNR_CIFAR10_JPG)");
            return;
        }
        var ctx = new RobustContext(seed: 0);
        using var view = ctx.Data.LoadFromImageFolder(Path.Combine(folder, "test"), cache: false);
        Assert.Equal(10_000, view.RowCount);
        Assert.Equal(Cifar10.ClassNames, view.ClassNames);
        Assert.Empty(view.Skipped);

        // 30 rows from each class, spread over the set.
        var rows = Enumerable.Range(0, 300).Select(i => (long)(i % 10 * 1000 + i / 10 * 33)).ToArray();
        var pipeline = ctx.Transforms.ConvertToRgb().Append(ctx.Transforms.ExtractPixels(Cifar10.Mean, Cifar10.Std));
        var features = pipeline.Fit(view).Transform(view);
        using var batch = features.GetRows(rows);

        Assert.Equal(300, view.DecodedCount);
        var labels = batch.GetKeys(DefaultColumnNames.Label);
        var paths = batch.GetText(DefaultColumnNames.ImagePath);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(Cifar10.ClassNames[labels[i]], Path.GetFileName(Path.GetDirectoryName(paths[i])));
        }
        Assert.Equal(Enumerable.Range(0, 300).Select(i => i % 10), labels);
        Assert.All(batch.GetImages(DefaultColumnNames.Image), image => Assert.Equal((32, 32, 3, "RGB JPEG"), (image.Width, image.Height, image.Channels, image.OriginalMode)));
        var x = batch.GetTensor(DefaultColumnNames.Features);
        Assert.Equal([300, 3, 32, 32], x.shape);
        using var min = x.min();
        using var max = x.max();
        using var mean = x.mean();
        Assert.InRange(min.item<float>(), 0f, 0.05f);
        Assert.InRange(max.item<float>(), 0.95f, 1f);
        Assert.InRange(mean.item<float>(), 0.35f, 0.60f); // CIFAR-10's mean pixel is about 0.47
        output.WriteLine($"{folder}: min {min.item<float>()}, max {max.item<float>()}, mean {mean.item<float>():F4}");
    }
}
