// Horizontal flip: mirrors the chosen rows left to right (x ↦ W − 1 − x), as torchvision's RandomHorizontalFlip.
// Source: the standard CIFAR augmentation (He et al. 2016, https://arxiv.org/abs/1512.03385, §4.2).
// Arguments: p = 0.5, seed = ctx.NextSeed(), column "Features".
// Shapes: [N, C, H, W] → same; exact (no resampling).
// Example: ctx.Transforms.HorizontalFlip(p: 0.5)

using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Perturbations;

/// <summary>Options of <see cref="HorizontalFlipTransformer"/>.</summary>
public sealed record HorizontalFlipOptions : PerturbationOptions
{
    public static class Defaults
    {
        public const double Probability = 0.5;
    }

    public override ImagePerturbation CreateTransformer() => new HorizontalFlipTransformer(this);
}

/// <summary>Mirrors the chosen rows left to right.</summary>
[TransformerLoader(nameof(HorizontalFlipTransformer))]
public sealed class HorizontalFlipTransformer(HorizontalFlipOptions options) : ImagePerturbation(options)
{
    protected override Tensor Perturb(Tensor images, RowRandomness rows) => images.flip(3);

    public static ITransformer Load(ModelLoadContext context) => PerturbationFile.Read(context);
}
