using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Transforms.Umap;

namespace MlNetRobust.Transforms.Tests.Umap;

public sealed class UmapPersistenceTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"mlnr-umap-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(UmapMetric.Euclidean)]
    [InlineData(UmapMetric.Cosine)]
    public void Saved_model_transforms_identically_after_loading(UmapMetric metric)
    {
        var (train, trainLabels, test, testLabels) = UmapTestData.Clusters(300, 50, seed: 8, centreScale: 0.6);
        using (train)
        using (test)
        {
            var ctx = new RobustContext(seed: 2);
            using var trainView = UmapTestData.View(train, trainLabels);
            using var testView = UmapTestData.View(test, testLabels);
            using var model = ctx.Transforms.ProjectToUmap(metric: metric, epochs: 30, minDist: 0.25).Fit(trainView);
            var path = Path.Combine(_folder, "umap.zip");

            ctx.Model.Save(model, trainView.Schema, path);
            using var loaded = ctx.Model.Load(path);

            var restored = Assert.IsType<UmapTransformer>(Assert.Single(loaded.Transformers));
            Assert.Equal(model.Options, restored.Options);
            Assert.Equal((model.Seed, model.A, model.B), (restored.Seed, restored.A, restored.B));
            Assert.Equal(model.TrainingMap.data<float>(), restored.TrainingMap.data<float>());
            Assert.Equal(Read(model, testView), Read(loaded, testView));
            Assert.Equal(Read(model, trainView), model.TrainingMap.data<float>());
        }
    }

    private static float[] Read(ITransformer transformer, IDataView view)
    {
        using var batch = transformer.Transform(view).GetRows(Enumerable.Range(0, (int)view.RowCount).Select(i => (long)i).ToArray());
        return batch.GetTensor("Umap").data<float>();
    }
}
