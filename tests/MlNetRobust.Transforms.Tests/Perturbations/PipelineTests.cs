using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Transforms.Corruptions;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Tests.Perturbations;

public sealed class PipelineTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"mnr-perturb-pipe-{Guid.NewGuid():N}");

    public PipelineTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static InMemoryDataView RawImages(int n, int size, bool sizeKnown)
    {
        var images = Enumerable.Range(0, n).Select(i =>
            new RawImage(size, size, 3, Enumerable.Range(0, size * size * 3).Select(j => (byte)((j * 7 + i * 31) % 256)).ToArray(), $"image{i}")).ToArray();
        var type = sizeKnown ? new ImageType(size, size, 3) : new ImageType();
        return new InMemoryDataView(new DataViewSchema([(DefaultColumnNames.Image, type)]),
            new Dictionary<string, object> { [DefaultColumnNames.Image] = images });
    }

    [Fact]
    public void Perturbations_follow_pixel_extraction_and_keep_the_columns_normalisation_facts()
    {
        var ctx = new RobustContext(1);
        using var view = RawImages(6, 12, sizeKnown: true);
        var pipeline = ctx.Transforms.ExtractPixels(mean: (0.5, 0.5, 0.5), std: (0.25, 0.25, 0.25))
            .Append(ctx.Transforms.RandomCrop(padding: 2, paddingMode: BorderMode.Reflect101))
            .Append(ctx.Transforms.Corrupt(Corruption.ShotNoise, 2, p: 0.5));
        using var model = pipeline.Fit(view);
        var type = (TensorType)model.GetOutputSchema(view.Schema)[DefaultColumnNames.Features].Type;
        Assert.Equal([3L, 12, 12], type.ItemShape);
        Assert.Equal("0.5,0.5,0.5", type.Annotations["mean"].Replace(" ", ""));
        using var batch = model.Transform(view).GetRows([0, 1, 2, 3, 4, 5]);
        var features = batch.GetTensor(DefaultColumnNames.Features);
        Assert.Equal([6L, 3, 12, 12], features.shape);
        var path = Path.Combine(_folder, "pixels-and-perturbations.zip");
        ctx.Model.Save(model, view.Schema, path);
        using var loaded = ModelZip.Load(path);
        using var again = loaded.Transform(view).GetRows([0, 1, 2, 3, 4, 5]);
        Assert.True(again.GetTensor(DefaultColumnNames.Features).equal(features));
    }

    [Fact]
    public void Images_of_unknown_size_pass_the_schema_check_and_are_cropped_when_they_arrive()
    {
        var ctx = new RobustContext(2);
        using var view = RawImages(3, 10, sizeKnown: false);
        var pipeline = ctx.Transforms.ExtractPixels().Append(ctx.Transforms.RandomCrop(padding: 4, paddingMode: BorderMode.Reflect101));
        using var model = pipeline.Fit(view);
        using var batch = model.Transform(view).GetRows([0, 1, 2]);
        Assert.Equal([3L, 3, 10, 10], batch.GetTensor(DefaultColumnNames.Features).shape);
    }
}
