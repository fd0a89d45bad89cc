using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Data;
using MlNetRobust.Transforms.Images;

namespace MlNetRobust.Transforms.Tests.Data;

public class ImageTransformsTests
{
    private readonly RobustContext _ctx = new(seed: 1);

    private static InMemoryDataView ImagesView(params RawImage[] images) =>
        new(new DataViewSchema([(DefaultColumnNames.Image, new ImageType())]),
            new Dictionary<string, object> { [DefaultColumnNames.Image] = images });

    private static RawImage Image(int width, int height, int channels, byte[]? pixels = null, string name = "img") =>
        new(width, height, channels, pixels ?? TestFiles.Pattern(width, height, channels), name);

    private static RawImage[] Transform<T>(TrivialEstimator<T> estimator, IDataView view) where T : ITransformer
    {
        using var batch = TestFiles.ReadAll(estimator.Fit(view).Transform(view));
        return batch.GetImages(DefaultColumnNames.Image);
    }

    [Fact]
    public void ConvertToRgb_repeats_gray_drops_alpha_and_passes_rgb_through_untouched()
    {
        var rgb = Image(3, 2, 3);
        var view = ImagesView(Image(3, 2, 1, [10, 20, 30, 40, 50, 60]), Image(3, 2, 2, [1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0]),
            Image(1, 1, 4, [7, 8, 9, 0]), rgb, Image(3, 2, 1, [0, 1, 2, 3, 4, 5]));

        var images = Transform(_ctx.Transforms.ConvertToRgb(), view);

        Assert.All(images, i => Assert.Equal(3, i.Channels));
        Assert.Equal([10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40, 50, 50, 50, 60, 60, 60], images[0].Pixels);
        Assert.Equal([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6], images[1].Pixels);
        Assert.Equal([7, 8, 9], images[2].Pixels);
        Assert.Same(rgb, images[3]);
        Assert.Equal([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5], images[4].Pixels);
    }

    [Fact]
    public void ConvertToRgb_can_composite_transparency_on_white()
    {
        var view = ImagesView(Image(3, 1, 4, [100, 50, 0, 255, 100, 50, 0, 0, 100, 50, 0, 51]), Image(1, 1, 2, [0, 102]));

        var images = Transform(_ctx.Transforms.ConvertToRgb(alpha: AlphaHandling.CompositeOnWhite), view);

        // opaque keeps its colour, transparent is white, α = 0.2 gives 0.2 c + 0.8 · 255.
        Assert.Equal([100, 50, 0, 255, 255, 255, 224, 214, 204], images[0].Pixels);
        Assert.Equal([153, 153, 153], images[1].Pixels); // gray 0 at α = 0.4
    }

    [Fact]
    public void ConvertToRgb_says_rgb_in_the_schema_and_names_a_missing_column()
    {
        var schema = new DataViewSchema([(DefaultColumnNames.Image, new ImageType(32, 32, 1))]);
        Assert.Equal("Image<32x32, 3 channels>", _ctx.Transforms.ConvertToRgb().GetOutputSchema(schema)[DefaultColumnNames.Image].Type.ToString());

        var error = Assert.Throws<SchemaException>(() => _ctx.Transforms.ConvertToRgb(inputColumnName: "Picture").GetOutputSchema(schema));
        Assert.Contains("ConvertToRgb: input column 'Picture' not found", error.Message);
    }

    [Fact]
    public void ResizeImages_resizes_every_size_to_the_target_and_keeps_channels()
    {
        var same = Image(4, 3, 3);
        var view = ImagesView(Image(8, 6, 3), same, Image(2, 2, 1), Image(8, 6, 3, TestFiles.Pattern(8, 6, 3, 9)));

        var images = Transform(_ctx.Transforms.ResizeImages(4, 3), view);

        Assert.All(images, i => Assert.Equal((4, 3), (i.Width, i.Height)));
        Assert.Equal([3, 3, 1, 3], images.Select(i => i.Channels));
        Assert.Same(same, images[1]);
        Assert.NotEqual(images[0].Pixels, images[3].Pixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ctx.Transforms.ResizeImages(0, 3));
    }

    [Fact]
    public void ExtractPixels_gives_channel_first_floats_in_0_1_and_records_mean_and_std()
    {
        var view = ImagesView(Image(3, 2, 3), Image(3, 2, 3, TestFiles.Pattern(3, 2, 3, 7)));
        var estimator = _ctx.Transforms.ExtractPixels(mean: Cifar10.Mean, std: Cifar10.Std);

        var output = estimator.Fit(view).Transform(view);
        using var batch = TestFiles.ReadAll(output);
        var features = batch.GetTensor(DefaultColumnNames.Features);

        Assert.Equal([2, 3, 2, 3], features.shape);
        Assert.Equal(ScalarType.Float32, features.dtype);
        var values = features.data<float>();
        var pattern = TestFiles.Pattern(3, 2, 3, 7);
        for (var c = 0; c < 3; c++)
        {
            for (var p = 0; p < 6; p++)
            {
                Assert.Equal(pattern[p * 3 + c] / 255f, values[18 + c * 6 + p], 6);
            }
        }
        var type = (TensorType)output.Schema[DefaultColumnNames.Features].Type;
        Assert.Equal("0.4914,0.4822,0.4465", type.Annotations["mean"]);
        var (mean, std) = PixelExtractor.ReadNormalization(type)!.Value;
        Assert.Equal([0.4914, 0.4822, 0.4465], mean);
        Assert.Equal([0.2470, 0.2435, 0.2616], std);
        Assert.Equal([3L, -1, -1], type.ItemShape); // sizes only known from the data here
    }

    [Fact]
    public void ExtractPixels_on_images_of_different_sizes_names_the_file_and_suggests_ResizeImages()
    {
        var view = ImagesView(Image(4, 4, 3, name: "a.png"), Image(5, 4, 3, name: "b.png"));
        var output = _ctx.Transforms.ExtractPixels().Fit(view).Transform(view);

        var error = Assert.Throws<InvalidDataException>(() => TestFiles.ReadAll(output));
        Assert.Contains("'b.png' is 5x4 RGB", error.Message);
        Assert.Contains("must all be 4x4", error.Message);
        Assert.Contains("ResizeImages(4, 4)", error.Message);
    }

    [Fact]
    public void ExtractPixels_on_non_rgb_images_names_the_file_and_its_mode_and_suggests_ConvertToRgb()
    {
        var gray = new RawImage(4, 4, 1, new byte[16], "g.png") { OriginalMode = "16-bit gray PNG" };
        var output = _ctx.Transforms.ExtractPixels().Fit(ImagesView(gray)).Transform(ImagesView(gray));
        var error = Assert.Throws<InvalidDataException>(() => TestFiles.ReadAll(output));
        Assert.Contains("'g.png' is 4x4 gray (file: 16-bit gray PNG), not RGB", error.Message);
        Assert.Contains("ConvertToRgb()", error.Message);

        var schema = new DataViewSchema([(DefaultColumnNames.Image, new ImageType(4, 4, 4))]);
        var schemaError = Assert.Throws<SchemaException>(() => _ctx.Transforms.ExtractPixels().GetOutputSchema(schema));
        Assert.Contains("4-channel images", schemaError.Message);
    }

    [Fact]
    public void A_ConvertToRgb_ResizeImages_ExtractPixels_pipeline_saved_in_a_model_zip_gives_the_same_outputs_after_reloading()
    {
        using var dir = new TempFolder();
        TestFiles.Copy("palette.png", dir["set/a/0.png"]);
        TestFiles.Copy("gray16.png", dir["set/a/1.png"]);
        TestFiles.Copy("rgba.png", dir["set/b/0.png"]);
        TestFiles.WriteJpeg(dir["set/b/1.jpg"], 12, 10);
        using var data = _ctx.Data.LoadFromImageFolder(dir["set"], cache: false);

        var pipeline = _ctx.Transforms.ConvertToRgb(alpha: AlphaHandling.CompositeOnWhite)
            .Append(_ctx.Transforms.ResizeImages(6, 4))
            .Append(_ctx.Transforms.ExtractPixels(Cifar10.Mean, Cifar10.Std));
        var model = pipeline.Fit(data);
        _ctx.Model.Save(model, data.Schema, dir["model.zip"]);
        var loaded = _ctx.Model.Load(dir["model.zip"]);

        using var expected = TestFiles.ReadAll(model.Transform(data));
        using var actual = TestFiles.ReadAll(loaded.Transform(data));
        var before = expected.GetTensor(DefaultColumnNames.Features);
        Assert.Equal([4, 3, 4, 6], before.shape);
        Assert.True(before.equal(actual.GetTensor(DefaultColumnNames.Features)));
        var type = (TensorType)loaded.GetOutputSchema(data.Schema)[DefaultColumnNames.Features].Type;
        Assert.Equal([3L, 4, 6], type.ItemShape);
        Assert.Equal("0.247,0.2435,0.2616", type.Annotations["std"]);

        var manifest = ModelZip.ReadManifest(dir["model.zip"]);
        Assert.Equal(["ConvertToRgb", "ResizeImages", "ExtractPixels"], manifest.Steps.Select(s => s.Kind));
        Assert.All(manifest.Steps, s => Assert.Equal(1, s.Version));
        Assert.Equal(["a", "b"], manifest.Classes);
        var reloaded = Assert.IsType<RgbConverter>(loaded.Transformers[0]);
        Assert.Equal(AlphaHandling.CompositeOnWhite, reloaded.Settings.Alpha);
    }
}
