using System.Globalization;
using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Images;

/// <summary>
/// <c>ctx.Transforms.ExtractPixels(mean, std)</c>: RGB images of one size → a float32 column [3, H, W] with
/// values in [0, 1] (channel-first, as PyTorch models take them). The values are <b>not</b> normalised: attacks
/// work in [0, 1] pixel space, so normalisation belongs to the model's input step. The mean and std are only
/// recorded on the output column's <see cref="TensorType.Annotations"/> ("mean", "std": three invariant-culture
/// numbers separated by commas, read them with <see cref="ReadNormalization"/>) for trainers to apply.
///
/// Every image must be RGB and of the same size: a schema that already says otherwise fails when fitting, and
/// a batch that does fails naming the file, its size and mode, and the step that fixes it (ConvertToRgb,
/// ResizeImages). Where the size is only known from the data the item shape holds -1 for H and W.
/// </summary>
[TransformerLoader(LoaderKind)]
public sealed class PixelExtractor : BatchTransformer, IPersistentTransformer
{
    internal const string LoaderKind = "ExtractPixels";

    public static class Defaults
    {
        public const string OutputColumn = DefaultColumnNames.Features;
        public const string InputColumn = DefaultColumnNames.Image;
    }

    /// <summary>Stored layout, version 1: options.json = {"mean": [r, g, b] | absent, "std": [r, g, b] | absent, "output_column", "input_column"}.</summary>
    public sealed record Options(double[]? Mean = null, double[]? Std = null, string OutputColumn = Defaults.OutputColumn, string InputColumn = Defaults.InputColumn);

    public PixelExtractor(Options options)
    {
        foreach (var (name, values) in new[] { ("mean", options.Mean), ("std", options.Std) })
        {
            if (values is not null && values.Length != 3)
            {
                throw new ArgumentException($"ExtractPixels: {name} needs 3 values (R, G, B), got {values.Length}", nameof(options));
            }
        }
        if (options.Std is { } std && std.Any(s => !(s > 0)))
        {
            throw new ArgumentException($"ExtractPixels: std values must be positive, got ({string.Join(", ", std)})", nameof(options));
        }
        Settings = options;
    }

    public Options Settings { get; }

    public string Kind => LoaderKind;

    public int FormatVersion => 1;

    public override DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var type = inputSchema.Require<ImageType>(Settings.InputColumn, "ExtractPixels", "an image column (RawImage[])");
        if (type.Channels is { } c && c != 3)
        {
            throw new SchemaException($"ExtractPixels: column '{Settings.InputColumn}' holds {c}-channel images, expected RGB; add ctx.Transforms.ConvertToRgb() before ExtractPixels");
        }
        var annotations = new Dictionary<string, string>();
        if (Settings.Mean is { } mean)
        {
            annotations["mean"] = Format(mean);
        }
        if (Settings.Std is { } std)
        {
            annotations["std"] = Format(std);
        }
        return inputSchema.With(Settings.OutputColumn, new TensorType(ScalarType.Float32, [3, type.Height ?? -1, type.Width ?? -1], annotations));
    }

    public override DataBatch MapBatch(DataBatch input)
    {
        var images = input.GetImages(Settings.InputColumn);
        var schemaType = (ImageType)input.Schema[Settings.InputColumn].Type;
        var outputType = GetOutputSchema(input.Schema)[Settings.OutputColumn].Type;
        if (images.Length == 0)
        {
            return input.With(Settings.OutputColumn, outputType, torch.empty([0, 3, schemaType.Height ?? 0, schemaType.Width ?? 0]));
        }
        var (height, width) = (schemaType.Height ?? images[0].Height, schemaType.Width ?? images[0].Width);
        foreach (var image in images)
        {
            if (image.Channels != 3)
            {
                throw new InvalidDataException($"ExtractPixels: '{image.Source}' is {ImageBatches.Describe(image)}, not RGB; add ctx.Transforms.ConvertToRgb() before ExtractPixels");
            }
            if (image.Width != width || image.Height != height)
            {
                throw new InvalidDataException($"ExtractPixels: '{image.Source}' is {ImageBatches.Describe(image)} but the images must all be {width}x{height} " +
                    $"(as '{images[0].Source}'); add ctx.Transforms.ResizeImages({width}, {height}) before ExtractPixels");
            }
        }
        Tensor features;
        using (torch.NewDisposeScope())
        {
            var hwc = ImageBatches.Stack(images, Enumerable.Range(0, images.Length).ToArray(), height, width, 3);
            features = hwc.permute(0, 3, 1, 2).to(ScalarType.Float32).div_(255.0).contiguous().MoveToOuterDisposeScope();
        }
        return input.With(Settings.OutputColumn, outputType, features);
    }

    /// <summary>The (mean, std) a Features column carries, or null when it records none.</summary>
    public static (double[] Mean, double[] Std)? ReadNormalization(TensorType type) =>
        type.Annotations.TryGetValue("mean", out var mean) && type.Annotations.TryGetValue("std", out var std)
            ? (Parse(mean), Parse(std))
            : null;

    private static string Format(double[] values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static double[] Parse(string values) => values.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    public void Save(ModelSaveContext context) => context.WriteJson("options.json", Settings);

    public static ITransformer Load(ModelLoadContext context)
    {
        if (context.FormatVersion > 1)
        {
            throw new InvalidDataException($"{context.ModelPath}: ExtractPixels layout version {context.FormatVersion} is newer than this build reads (1)");
        }
        return new PixelExtractor(context.ReadJson<Options>("options.json"));
    }
}
