using MlNetRobust.Catalogs;
using MlNetRobust.Data;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust;

/// <summary>
/// The perturbations on <c>ctx.Transforms</c>. Each method builds its options record (defaults in the record's
/// nested <c>Defaults</c>) and takes its seed from <c>ctx.NextSeed()</c> unless one is given. (The methods live
/// here rather than beside each perturbation because C# allows one file-scoped namespace per file, and the
/// catalog must be in <c>MlNetRobust</c> to be found from the context without a using.)
/// </summary>
public static class PerturbationCatalogExtensions
{
    /// <summary>Adds N(0, std²) noise to each row with probability <paramref name="p"/>.</summary>
    public static PerturbationEstimator<GaussianNoiseTransformer> GaussianNoise(this TransformsCatalog catalog,
        double std = GaussianNoiseOptions.Defaults.Std, double p = GaussianNoiseOptions.Defaults.Probability,
        string outputColumnName = DefaultColumnNames.Features, string? inputColumnName = null, ulong? seed = null) =>
        new(new GaussianNoiseTransformer(new GaussianNoiseOptions
        {
            Std = std,
            Probability = p,
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Seed = seed ?? catalog.Context.NextSeed(),
        }));

    /// <summary>torchvision's ColorJitter (factors in [max(0, 1 − x), 1 + x], hue shift in [−hue, hue]) with probability <paramref name="p"/>.</summary>
    public static PerturbationEstimator<ColorJitterTransformer> ColorJitter(this TransformsCatalog catalog,
        double brightness = ColorJitterOptions.Defaults.Brightness, double contrast = ColorJitterOptions.Defaults.Contrast,
        double saturation = ColorJitterOptions.Defaults.Saturation, double hue = ColorJitterOptions.Defaults.Hue,
        double p = ColorJitterOptions.Defaults.Probability, bool randomOrder = ColorJitterOptions.Defaults.RandomOrder,
        string outputColumnName = DefaultColumnNames.Features, string? inputColumnName = null, ulong? seed = null) =>
        new(new ColorJitterTransformer(new ColorJitterOptions
        {
            Brightness = brightness,
            Contrast = contrast,
            Saturation = saturation,
            Hue = hue,
            RandomOrder = randomOrder,
            Probability = p,
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Seed = seed ?? catalog.Context.NextSeed(),
        }));

    /// <summary>Mirrors each row left to right with probability <paramref name="p"/>.</summary>
    public static PerturbationEstimator<HorizontalFlipTransformer> HorizontalFlip(this TransformsCatalog catalog,
        double p = HorizontalFlipOptions.Defaults.Probability,
        string outputColumnName = DefaultColumnNames.Features, string? inputColumnName = null, ulong? seed = null) =>
        new(new HorizontalFlipTransformer(new HorizontalFlipOptions
        {
            Probability = p,
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Seed = seed ?? catalog.Context.NextSeed(),
        }));

    /// <summary>Rotates each row by an angle uniform in [−degrees, degrees] with probability <paramref name="p"/>.</summary>
    public static PerturbationEstimator<RandomRotationTransformer> RandomRotation(this TransformsCatalog catalog,
        double degrees = RandomRotationOptions.Defaults.Degrees, double p = RandomRotationOptions.Defaults.Probability,
        GridPadding padding = RandomRotationOptions.Defaults.Padding, InterpolationMode interpolation = RandomRotationOptions.Defaults.Interpolation,
        string outputColumnName = DefaultColumnNames.Features, string? inputColumnName = null, ulong? seed = null) =>
        catalog.RandomRotation((-Math.Abs(degrees), Math.Abs(degrees)), p, padding, interpolation, outputColumnName, inputColumnName, seed);

    /// <summary>Rotates each row by an angle uniform in [min, max] degrees (counter-clockwise positive).</summary>
    public static PerturbationEstimator<RandomRotationTransformer> RandomRotation(this TransformsCatalog catalog,
        (double Min, double Max) degrees, double p = RandomRotationOptions.Defaults.Probability,
        GridPadding padding = RandomRotationOptions.Defaults.Padding, InterpolationMode interpolation = RandomRotationOptions.Defaults.Interpolation,
        string outputColumnName = DefaultColumnNames.Features, string? inputColumnName = null, ulong? seed = null) =>
        new(new RandomRotationTransformer(new RandomRotationOptions
        {
            MinDegrees = degrees.Min,
            MaxDegrees = degrees.Max,
            Padding = padding,
            Interpolation = interpolation,
            Probability = p,
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Seed = seed ?? catalog.Context.NextSeed(),
        }));

    /// <summary>Pads by <paramref name="padding"/> and crops back to the original size at a random offset (CIFAR: pad 4, crop 32).</summary>
    public static PerturbationEstimator<RandomCropTransformer> RandomCrop(this TransformsCatalog catalog,
        int padding = RandomCropOptions.Defaults.Padding, BorderMode paddingMode = RandomCropOptions.Defaults.PaddingMode,
        double fill = RandomCropOptions.Defaults.Fill, double p = RandomCropOptions.Defaults.Probability,
        string outputColumnName = DefaultColumnNames.Features, string? inputColumnName = null, ulong? seed = null) =>
        new(new RandomCropTransformer(new RandomCropOptions
        {
            Padding = padding,
            PaddingMode = paddingMode,
            Fill = fill,
            Probability = p,
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Seed = seed ?? catalog.Context.NextSeed(),
        }));

    /// <summary>Several perturbations as one step, applied in order, each with its own p (torchvision's Compose).</summary>
    public static PerturbationEstimator<ComposeTransformer> Compose(this TransformsCatalog catalog,
        params IPerturbationEstimator<ImagePerturbation>[] steps) =>
        catalog.Compose(steps, p: 1);

    /// <summary>Several perturbations as one step, applied in order; the whole sequence runs with probability <paramref name="p"/>.</summary>
    public static PerturbationEstimator<ComposeTransformer> Compose(this TransformsCatalog catalog,
        IEnumerable<IPerturbationEstimator<ImagePerturbation>> steps, double p,
        string outputColumnName = DefaultColumnNames.Features, string? inputColumnName = null, ulong? seed = null) =>
        new(new ComposeTransformer(new ComposeOptions
        {
            Steps = steps.Select(s => s.Transformer.Options).ToList(),
            Probability = p,
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Seed = seed ?? catalog.Context.NextSeed(),
        }));

    /// <summary>One of several perturbations per row, picked with the given weights (uniform if null), as torchvision's RandomChoice.</summary>
    public static PerturbationEstimator<RandomChoiceTransformer> RandomChoice(this TransformsCatalog catalog,
        IEnumerable<IPerturbationEstimator<ImagePerturbation>> steps, IReadOnlyList<double>? weights = null, double p = 1,
        string outputColumnName = DefaultColumnNames.Features, string? inputColumnName = null, ulong? seed = null) =>
        new(new RandomChoiceTransformer(new RandomChoiceOptions
        {
            Steps = steps.Select(s => s.Transformer.Options).ToList(),
            Weights = weights,
            Probability = p,
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Seed = seed ?? catalog.Context.NextSeed(),
        }));

    /// <summary>A perturbation described by an options record (its seed as given there).</summary>
    public static PerturbationEstimator<ImagePerturbation> Perturb(this TransformsCatalog catalog, PerturbationOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(options.CreateTransformer());
    }
}
