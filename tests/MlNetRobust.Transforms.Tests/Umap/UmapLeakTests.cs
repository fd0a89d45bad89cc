using MlNetRobust.Data;
using MlNetRobust.TestSupport;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Tests.Perturbations;
using MlNetRobust.Transforms.Umap;

namespace MlNetRobust.Transforms.Tests.Umap;

[Collection(nameof(NativeTensorCount))]
public sealed class UmapLeakTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"mlnr-umap-leak-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Fitting_transforming_scoring_and_reloading_leave_no_native_tensor_behind()
    {
        var (train, labels, test, testLabels) = UmapTestData.Clusters(150, 40, seed: 4, centreScale: 0.6);
        using (train)
        using (test)
        using (var trainView = UmapTestData.View(train, labels))
        using (var testView = UmapTestData.View(test, testLabels))
        {
            void Run(int round)
            {
                var ctx = new RobustContext(seed: round);
                using var model = ctx.Transforms.ProjectToUmap(epochs: 10, metric: UmapMetric.Cosine).Fit(trainView);
                foreach (var batch in model.Transform(testView).GetBatches(16))
                {
                    batch.Dispose();
                }
                Trustworthiness.Compute(train, model.TrainingMap, 5);
                var path = Path.Combine(_folder, $"umap-{round}.zip");
                ctx.Model.Save(model, trainView.Schema, path);
                using var loaded = ctx.Model.Load(path);
                using (loaded.Transform(testView).GetRows([0, 1, 2]))
                {
                }
            }

            Run(0); // first calls may fill caches
            Garbage.CollectNow();
            var before = torch.live_tensor_count;
            Run(1);

            Assert.Equal(before, torch.live_tensor_count);
        }
    }
}
