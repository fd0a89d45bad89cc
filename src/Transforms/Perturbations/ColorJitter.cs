// Colour jitter with torchvision's definitions (ColorJitter / functional_tensor): per row, factors for
//   brightness b ∈ [max(0, 1 − B), 1 + B]: x·b;
//   contrast   c ∈ [max(0, 1 − C), 1 + C]: blend with the mean grey level of the image, c·x + (1 − c)·mean(gray);
//   saturation s ∈ [max(0, 1 − S), 1 + S]: blend with the grey image, s·x + (1 − s)·gray;
//   hue        h ∈ [−H, H] (H ≤ 0.5, a fraction of a turn): H ← (H + h) mod 1 in HSV;
// each clamped to [0, 1], applied in a random order per row (torchvision draws randperm(4) per call).
// gray = 0.2989 R + 0.587 G + 0.114 B. A parameter of 0 switches its operation off.
// Source: torchvision.transforms.ColorJitter; HSV conversion in ColorSpace.cs.
// Arguments: brightness = 0.2, contrast = 0.2, saturation = 0.2, hue = 0.05, randomOrder = true, p = 0.5.
// Shapes: [N, 3, H, W] → same.
// Example: ctx.Transforms.ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, p: 0.8)

using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Perturbations;

/// <summary>Options of <see cref="ColorJitterTransformer"/>.</summary>
public sealed record ColorJitterOptions : PerturbationOptions
{
    public static class Defaults
    {
        public const double Brightness = 0.2;
        public const double Contrast = 0.2;
        public const double Saturation = 0.2;
        public const double Hue = 0.05;
        public const bool RandomOrder = true;
        public const double Probability = 0.5;
    }

    /// <summary>B: the brightness factor is uniform in [max(0, 1 − B), 1 + B].</summary>
    public double Brightness { get; init; } = Defaults.Brightness;

    /// <summary>C: the contrast factor is uniform in [max(0, 1 − C), 1 + C].</summary>
    public double Contrast { get; init; } = Defaults.Contrast;

    /// <summary>S: the saturation factor is uniform in [max(0, 1 − S), 1 + S].</summary>
    public double Saturation { get; init; } = Defaults.Saturation;

    /// <summary>H in [0, 0.5]: the hue shift is uniform in [−H, H] turns.</summary>
    public double Hue { get; init; } = Defaults.Hue;

    /// <summary>Apply the four operations in a random order per row (torchvision), or always b, c, s, h.</summary>
    public bool RandomOrder { get; init; } = Defaults.RandomOrder;

    public override ImagePerturbation CreateTransformer() => new ColorJitterTransformer(this);
}

/// <summary>Randomly changes brightness, contrast, saturation and hue of the chosen rows.</summary>
[TransformerLoader(nameof(ColorJitterTransformer))]
public sealed class ColorJitterTransformer : ImagePerturbation
{
    private const int Operations = 4;

    public ColorJitterTransformer(ColorJitterOptions options) : base(options)
    {
        foreach (var (name, value) in new[] { ("brightness", options.Brightness), ("contrast", options.Contrast), ("saturation", options.Saturation) })
        {
            if (!(value >= 0) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(nameof(options), value, $"ColorJitter: {name} must be finite and >= 0");
            }
        }
        if (!(options.Hue >= 0 && options.Hue <= 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Hue, "ColorJitter: hue must be in [0, 0.5]");
        }
        JitterOptions = options;
    }

    public ColorJitterOptions JitterOptions { get; }

    public override int? RequiredChannels => 3;

    protected override Tensor Perturb(Tensor images, RowRandomness rows)
    {
        var o = JitterOptions;
        // Draw order as torchvision's get_params: the order, then b, c, s, h (always all, so that switching one
        // operation off does not change the others' draws).
        var order = o.RandomOrder ? rows.NextPermutation(Operations) : Enumerable.Repeat(new[] { 0, 1, 2, 3 }, rows.Count).ToArray();
        var factors = new[]
        {
            rows.NextUniform(Math.Max(0, 1 - o.Brightness), 1 + o.Brightness),
            rows.NextUniform(Math.Max(0, 1 - o.Contrast), 1 + o.Contrast),
            rows.NextUniform(Math.Max(0, 1 - o.Saturation), 1 + o.Saturation),
            rows.NextUniform(-o.Hue, o.Hue),
        };
        var enabled = new[] { o.Brightness > 0, o.Contrast > 0, o.Saturation > 0, o.Hue > 0 };
        var work = images.clone();
        for (var slot = 0; slot < Operations; slot++)
        {
            for (var op = 0; op < Operations; op++)
            {
                if (!enabled[op])
                {
                    continue;
                }
                var positions = Enumerable.Range(0, rows.Count).Where(r => order[r][slot] == op).ToArray();
                if (positions.Length == 0)
                {
                    continue;
                }
                var f = positions.Select(r => factors[op][r]).ToArray();
                if (positions.Length == rows.Count)
                {
                    work = Adjust(op, work, f);
                    continue;
                }
                var index = torch.tensor(positions.Select(r => (long)r).ToArray()).to(images.device);
                work.index_put_([index], Adjust(op, work.index_select(0, index), f));
            }
        }
        return work;
    }

    private static Tensor Adjust(int op, Tensor x, double[] f) => op switch
    {
        0 => AdjustBrightness(x, f),
        1 => AdjustContrast(x, f),
        2 => AdjustSaturation(x, f),
        _ => AdjustHue(x, f),
    };

    private static Tensor PerRow(double[] factors, Tensor like) => ImageFilters.Constant(factors, [factors.Length, 1, 1, 1], like);

    /// <summary>x·b per row, clamped (torchvision adjust_brightness).</summary>
    public static Tensor AdjustBrightness(Tensor images, double[] factors)
    {
        using var scope = torch.NewDisposeScope();
        return (images * PerRow(factors, images)).clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>c·x + (1 − c)·mean(gray(x)) per row, clamped (torchvision adjust_contrast).</summary>
    public static Tensor AdjustContrast(Tensor images, double[] factors)
    {
        using var scope = torch.NewDisposeScope();
        var mean = ColorSpace.Grayscale(images).mean([1, 2, 3], keepdim: true);
        return Blend(images, mean, PerRow(factors, images)).MoveToOuterDisposeScope();
    }

    /// <summary>s·x + (1 − s)·gray(x) per row, clamped (torchvision adjust_saturation).</summary>
    public static Tensor AdjustSaturation(Tensor images, double[] factors)
    {
        using var scope = torch.NewDisposeScope();
        return Blend(images, ColorSpace.Grayscale(images), PerRow(factors, images)).MoveToOuterDisposeScope();
    }

    /// <summary>Hue rotated by h turns per row in HSV (torchvision adjust_hue).</summary>
    public static Tensor AdjustHue(Tensor images, double[] shifts)
    {
        using var scope = torch.NewDisposeScope();
        var hsv = ColorSpace.RgbToHsv(images);
        var hue = (hsv.narrow(1, 0, 1) + PerRow(shifts, images)).remainder(1.0);
        var rgb = ColorSpace.HsvToRgb(torch.cat([hue, hsv.narrow(1, 1, 2)], 1));
        return rgb.MoveToOuterDisposeScope();
    }

    // torchvision's _blend: ratio·a + (1 − ratio)·b, clamped to [0, 1].
    private static Tensor Blend(Tensor a, Tensor b, Tensor ratio)
    {
        using var scope = torch.NewDisposeScope();
        return (a * ratio + b * (1.0 - ratio)).clamp(0, 1).MoveToOuterDisposeScope();
    }

    public static ITransformer Load(ModelLoadContext context) => PerturbationFile.Read(context);
}
