using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Images;

/// <summary>
/// <c>ctx.Transforms.ResizeImages(width, height)</c>: bilinear resampling to a fixed size (half-pixel centres,
/// libtorch's upsample_bilinear2d), with antialiasing when shrinking by default (as PIL and torchvision ≥ 0.17),
/// rounded back to 8 bits. The aspect ratio is not kept (stretch, as ML.NET's default ResizingKind.IsoPad is not).
/// Images already of that size pass through untouched; the rest are resized in groups of equal shape, each group
/// in one native call. Channels are kept.
/// </summary>
[TransformerLoader(LoaderKind)]
public sealed class ImageResizer : BatchTransformer, IPersistentTransformer
{
    internal const string LoaderKind = "ResizeImages";

    public static class Defaults
    {
        public const string Column = DefaultColumnNames.Image;
        public const bool Antialias = true;
    }

    /// <summary>Stored layout, version 1: options.json = {"width", "height", "output_column", "input_column", "antialias"}.</summary>
    public sealed record Options(int Width, int Height, string OutputColumn = Defaults.Column, string InputColumn = Defaults.Column, bool Antialias = Defaults.Antialias);

    public ImageResizer(Options options)
    {
        if (options.Width <= 0 || options.Height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"ResizeImages: width and height must be positive, got {options.Width}x{options.Height}");
        }
        Settings = options;
    }

    public Options Settings { get; }

    public string Kind => LoaderKind;

    public int FormatVersion => 1;

    public override DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var type = inputSchema.Require<ImageType>(Settings.InputColumn, "ResizeImages", "an image column (RawImage[], e.g. from LoadFromImageFolder)");
        return inputSchema.With(Settings.OutputColumn, new ImageType(Settings.Height, Settings.Width, type.Channels));
    }

    public override DataBatch MapBatch(DataBatch input)
    {
        var images = input.GetImages(Settings.InputColumn);
        var output = (RawImage[])images.Clone();
        using (torch.NewDisposeScope())
        {
            foreach (var (height, width, channels, indices) in ImageBatches.GroupByShape(images, i => i.Width != Settings.Width || i.Height != Settings.Height))
            {
                var batch = ImageBatches.Stack(images, indices, height, width, channels);
                ImageBatches.Unstack(Imaging.Resize(batch, Settings.Height, Settings.Width, Settings.Antialias), images, indices, output);
            }
        }
        return input.With(Settings.OutputColumn, GetOutputSchema(input.Schema)[Settings.OutputColumn].Type, output);
    }

    public void Save(ModelSaveContext context) => context.WriteJson("options.json", Settings);

    public static ITransformer Load(ModelLoadContext context)
    {
        if (context.FormatVersion > 1)
        {
            throw new InvalidDataException($"{context.ModelPath}: ResizeImages layout version {context.FormatVersion} is newer than this build reads (1)");
        }
        return new ImageResizer(context.ReadJson<Options>("options.json"));
    }
}
