using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Images;

/// <summary>What <c>ConvertToRgb</c> does with transparency.</summary>
public enum AlphaHandling
{
    /// <summary>Keep the colour channels and ignore alpha, as PIL's <c>convert("RGB")</c> and so torchvision's loaders do.</summary>
    Drop,

    /// <summary>Blend onto white: colour · α + 255 · (1 − α), as a viewer shows the image.</summary>
    CompositeOnWhite,
}

/// <summary>
/// <c>ctx.Transforms.ConvertToRgb()</c>: makes every image 3-channel RGB. Gray is repeated into R, G and B;
/// gray+alpha and RGBA lose their alpha (<see cref="AlphaHandling.Drop"/>, the default, matching PIL and
/// torchvision so accuracies compare) or are composited on white. Palette and 16-bit files were already expanded
/// to 8-bit gray/RGB(A) by the decoder, so they are covered too; the file's mode stays in
/// <see cref="RawImage.OriginalMode"/>. RGB images pass through untouched; the rest are converted in groups of
/// equal shape with tensor ops.
/// </summary>
[TransformerLoader(LoaderKind)]
public sealed class RgbConverter : BatchTransformer, IPersistentTransformer
{
    internal const string LoaderKind = "ConvertToRgb";

    public static class Defaults
    {
        public const string Column = DefaultColumnNames.Image;
        public const AlphaHandling Alpha = AlphaHandling.Drop;
    }

    /// <summary>Stored layout, version 1: options.json = {"output_column", "input_column", "alpha": "drop"|"composite_on_white"}.</summary>
    public sealed record Options(string OutputColumn = Defaults.Column, string InputColumn = Defaults.Column, AlphaHandling Alpha = Defaults.Alpha);

    public RgbConverter(Options options) => Settings = options;

    public Options Settings { get; }

    public string Kind => LoaderKind;

    public int FormatVersion => 1;

    public override DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var type = inputSchema.Require<ImageType>(Settings.InputColumn, "ConvertToRgb", "an image column (RawImage[], e.g. from LoadFromImageFolder)");
        return inputSchema.With(Settings.OutputColumn, new ImageType(type.Height, type.Width, 3));
    }

    public override DataBatch MapBatch(DataBatch input)
    {
        var images = input.GetImages(Settings.InputColumn);
        var output = (RawImage[])images.Clone();
        using (torch.NewDisposeScope())
        {
            foreach (var (height, width, channels, indices) in ImageBatches.GroupByShape(images, image => image.Channels != 3))
            {
                var batch = ImageBatches.Stack(images, indices, height, width, channels);
                ImageBatches.Unstack(ToRgb(batch, channels, Settings.Alpha), images, indices, output);
            }
        }
        return input.With(Settings.OutputColumn, GetOutputSchema(input.Schema)[Settings.OutputColumn].Type, output);
    }

    /// <summary>uint8 [n, H, W, C] (C 1, 2 or 4) → uint8 [n, H, W, 3].</summary>
    private static Tensor ToRgb(Tensor batch, int channels, AlphaHandling alpha)
    {
        var colour = batch.narrow(3, 0, channels <= 2 ? 1 : 3);
        if (channels is 2 or 4 && alpha == AlphaHandling.CompositeOnWhite)
        {
            var a = batch.narrow(3, channels - 1, 1).to(ScalarType.Float32).div(255.0);
            colour = (colour.to(ScalarType.Float32) * a + (1.0 - a) * 255.0).round().clamp(0, 255).to(ScalarType.Byte);
        }
        return channels <= 2 ? colour.repeat(1, 1, 1, 3) : colour.contiguous();
    }

    public void Save(ModelSaveContext context) => context.WriteJson("options.json", Settings);

    public static ITransformer Load(ModelLoadContext context)
    {
        if (context.FormatVersion > 1)
        {
            throw new InvalidDataException($"{context.ModelPath}: ConvertToRgb layout version {context.FormatVersion} is newer than this build reads (1)");
        }
        return new RgbConverter(context.ReadJson<Options>("options.json"));
    }
}
