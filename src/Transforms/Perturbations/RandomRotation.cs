// Random rotation about the image centre by an angle uniform in [min, max] degrees (counter-clockwise positive,
// as torchvision's RandomRotation), resampled with affine_grid + grid_sample.
// Source: torchvision.transforms.RandomRotation; geometry in pixel space, so non-square images are not sheared.
// Arguments: degrees = 15 (angle in [−15, 15]), or an explicit (min, max); interpolation = bilinear (or nearest);
//   padding = zeros (black corners, torchvision's fill = 0) or border (edge pixels repeated) or reflection;
//   p = 0.5, seed = ctx.NextSeed(), column "Features".
// Shapes: [N, C, H, W] → same. align_corners = false: pixel centres sit at ((2i + 1)/W − 1), so a square image
//   turned by exactly 90° maps centres onto centres and equals torch.rot90(x, 1, [−2, −1]).
// Example: ctx.Transforms.RandomRotation(degrees: 10, padding: GridPadding.Border)

using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Perturbations;

/// <summary>Options of <see cref="RandomRotationTransformer"/>.</summary>
public sealed record RandomRotationOptions : PerturbationOptions
{
    public static class Defaults
    {
        public const double Degrees = 15;
        public const double Probability = 0.5;
        public const GridPadding Padding = GridPadding.Zeros;
        public const InterpolationMode Interpolation = InterpolationMode.Bilinear;
    }

    /// <summary>Smallest angle in degrees (counter-clockwise positive).</summary>
    public double MinDegrees { get; init; } = -Defaults.Degrees;

    /// <summary>Largest angle in degrees.</summary>
    public double MaxDegrees { get; init; } = Defaults.Degrees;

    /// <summary>What fills the corners: zeros (black), border (edge pixels) or reflection.</summary>
    public GridPadding Padding { get; init; } = Defaults.Padding;

    /// <summary>Bilinear or nearest.</summary>
    public InterpolationMode Interpolation { get; init; } = Defaults.Interpolation;

    public override ImagePerturbation CreateTransformer() => new RandomRotationTransformer(this);
}

/// <summary>Rotates each chosen row by its own angle.</summary>
[TransformerLoader(nameof(RandomRotationTransformer))]
public sealed class RandomRotationTransformer : ImagePerturbation
{
    public RandomRotationTransformer(RandomRotationOptions options) : base(options)
    {
        if (!double.IsFinite(options.MinDegrees) || !double.IsFinite(options.MaxDegrees) || options.MinDegrees > options.MaxDegrees)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"RandomRotation: need finite min <= max degrees, got [{options.MinDegrees}, {options.MaxDegrees}]");
        }
        if (options.Interpolation == InterpolationMode.Bicubic)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "RandomRotation: interpolation must be bilinear or nearest (bicubic overshoots)");
        }
        RotationOptions = options;
    }

    public RandomRotationOptions RotationOptions { get; }

    protected override Tensor Perturb(Tensor images, RowRandomness rows)
    {
        var degrees = rows.NextUniform(RotationOptions.MinDegrees, RotationOptions.MaxDegrees);
        return Rotate(images, degrees, RotationOptions.Padding, RotationOptions.Interpolation);
    }

    /// <summary>Rotates image i of [M, C, H, W] counter-clockwise by <paramref name="degrees"/>[i] about its centre.</summary>
    public static Tensor Rotate(Tensor images, double[] degrees, GridPadding padding = GridPadding.Zeros,
        InterpolationMode interpolation = InterpolationMode.Bilinear)
    {
        var (m, h, w) = (images.size(0), images.size(2), images.size(3));
        var theta = new double[m * 6];
        for (var i = 0; i < m; i++)
        {
            var (sin, cos) = Math.SinCos(degrees[i] * Math.PI / 180);
            // Snap the round-off of cos 90° etc., so quarter turns sample exactly at pixel centres.
            sin = Math.Abs(sin) < 1e-12 ? 0 : sin;
            cos = Math.Abs(cos) < 1e-12 ? 0 : cos;
            // Output pixel (x, y) reads the input at R(−θ)(x, y), in pixels about the centre, y pointing down;
            // the aspect ratios turn pixels into affine_grid's [−1, 1] coordinates.
            theta[i * 6 + 0] = cos;
            theta[i * 6 + 1] = -sin * h / w;
            theta[i * 6 + 3] = sin * w / h;
            theta[i * 6 + 4] = cos;
        }
        using var scope = torch.NewDisposeScope();
        var t = ImageFilters.Constant(theta, [m, 2, 3], images);
        var grid = torch.nn.functional.affine_grid(t, images.shape, alignCorners: false);
        var result = torch.nn.functional.grid_sample(images, grid, interpolation, padding, alignCorners: false);
        return result.MoveToOuterDisposeScope();
    }

    public static ITransformer Load(ModelLoadContext context) => PerturbationFile.Read(context);
}
