// Gaussian noise: x + σ·z, z ~ N(0, 1) per pixel and channel, then clamped to [0, 1].
// Source: the standard additive-noise augmentation; CIFAR-10-C's gaussian_noise is the same with σ = 0.04–0.10
//   (Hendrycks & Dietterich 2019, https://arxiv.org/abs/1903.12261).
// Arguments: std σ = 0.05 (in [0, 1] pixel units), p = 0.5, seed = ctx.NextSeed(), column "Features".
// Shapes: [N, C, H, W] float in [0, 1] → same; each row's noise comes from a generator seeded by (seed, row id, salt).
// Example: ctx.Transforms.GaussianNoise(std: 0.1, p: 0.5)

using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Perturbations;

/// <summary>Options of <see cref="GaussianNoiseTransformer"/>.</summary>
public sealed record GaussianNoiseOptions : PerturbationOptions
{
    public static class Defaults
    {
        public const double Std = 0.05;
        public const double Probability = 0.5;
    }

    /// <summary>Standard deviation σ of the noise, in [0, 1] pixel units.</summary>
    public double Std { get; init; } = Defaults.Std;

    public override ImagePerturbation CreateTransformer() => new GaussianNoiseTransformer(this);
}

/// <summary>Adds Gaussian noise N(0, σ²) to every pixel of the chosen rows.</summary>
[TransformerLoader(nameof(GaussianNoiseTransformer))]
public sealed class GaussianNoiseTransformer : ImagePerturbation
{
    public GaussianNoiseTransformer(GaussianNoiseOptions options) : base(options)
    {
        if (!(options.Std >= 0) || double.IsInfinity(options.Std))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Std, "GaussianNoise: std must be finite and >= 0");
        }
        Std = options.Std;
    }

    public double Std { get; }

    protected override Tensor Perturb(Tensor images, RowRandomness rows) => AddNoise(images, rows, Std);

    /// <summary>x + σ·z with each row's z from its own generator (shared with the CIFAR-10-C corruption).</summary>
    public static Tensor AddNoise(Tensor images, RowRandomness rows, double std)
    {
        using var scope = torch.NewDisposeScope();
        var noise = ImageFilters.Like(rows.Randn(images.shape[1..]), images);
        return images.add(noise, std).MoveToOuterDisposeScope();
    }

    public static ITransformer Load(ModelLoadContext context) => PerturbationFile.Read(context);
}
