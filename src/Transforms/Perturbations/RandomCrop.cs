// Random crop with padding: pad every side by `padding`, then cut a window of the original size at a random
// offset (top, left) uniform in [0, 2·padding]² — CIFAR's standard "pad 4, crop 32" (torchvision
// RandomCrop(32, padding=4)); the output keeps the input's size.
// Source: He et al. 2016 (https://arxiv.org/abs/1512.03385, §4.2); torchvision.transforms.RandomCrop.
// Arguments: padding = 4 pixels; padding mode = constant (fill = 0) or reflect (torch/OpenCV reflect-101),
//   symmetric or replicate (torchvision's "edge"); p = 1, seed = ctx.NextSeed(), column "Features".
// Shapes: [N, C, H, W] → same; integer offsets, so pixels are copied exactly (two gathers on the padded batch).
// Example: ctx.Transforms.RandomCrop(padding: 4, paddingMode: BorderMode.Reflect101)

using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Perturbations;

/// <summary>Options of <see cref="RandomCropTransformer"/>.</summary>
public sealed record RandomCropOptions : PerturbationOptions
{
    public static class Defaults
    {
        public const int Padding = 4;
        public const BorderMode PaddingMode = BorderMode.Constant;
        public const double Fill = 0;
        public const double Probability = 1.0;
    }

    /// <summary>Pixels added on every side before cropping back to the original size.</summary>
    public int Padding { get; init; } = Defaults.Padding;

    /// <summary>How the padding is filled.</summary>
    public BorderMode PaddingMode { get; init; } = Defaults.PaddingMode;

    /// <summary>The value of constant padding, in [0, 1].</summary>
    public double Fill { get; init; } = Defaults.Fill;

    public override ImagePerturbation CreateTransformer() => new RandomCropTransformer(this);
}

/// <summary>Pads and crops each chosen row at its own offset.</summary>
[TransformerLoader(nameof(RandomCropTransformer))]
public sealed class RandomCropTransformer : ImagePerturbation
{
    public RandomCropTransformer(RandomCropOptions options) : base(options)
    {
        if (options.Padding < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Padding, "RandomCrop: padding must be >= 0");
        }
        if (!(options.Fill >= 0 && options.Fill <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Fill, "RandomCrop: fill must be in [0, 1]");
        }
        CropOptions = options;
    }

    public RandomCropOptions CropOptions { get; }

    protected override void CheckShape(IReadOnlyList<long> itemShape)
    {
        // Reflect-101 padding cannot mirror more pixels than the image has beyond its edge (sizes of −1 are
        // unknown until the batch arrives; at::pad then names the problem).
        var side = Math.Min(itemShape[1], itemShape[2]);
        if (CropOptions.PaddingMode == BorderMode.Reflect101 && side > 0 && CropOptions.Padding >= side)
        {
            throw new SchemaException($"RandomCrop: reflect padding of {CropOptions.Padding} needs images larger than that, got [{string.Join(", ", itemShape)}]");
        }
    }

    protected override Tensor Perturb(Tensor images, RowRandomness rows)
    {
        var pad = CropOptions.Padding;
        var top = rows.NextInteger(0, 2 * pad);
        var left = rows.NextInteger(0, 2 * pad);
        return Crop(images, top, left, pad, CropOptions.PaddingMode, CropOptions.Fill);
    }

    /// <summary>Pads [M, C, H, W] by <paramref name="padding"/> and cuts image i's H×W window at (top[i], left[i]).</summary>
    public static Tensor Crop(Tensor images, long[] top, long[] left, int padding, BorderMode mode = BorderMode.Constant, double fill = 0)
    {
        var (m, c, h, w) = (images.size(0), images.size(1), images.size(2), images.size(3));
        using var scope = torch.NewDisposeScope();
        var padded = ImageFilters.Pad(images, padding, padding, padding, padding, mode, fill);
        var wp = padded.size(3);
        var device = images.device;
        var ys = (torch.tensor(top).view(m, 1, 1, 1) + torch.arange(h).view(1, 1, h, 1)).to(device).expand(m, c, h, wp);
        var xs = (torch.tensor(left).view(m, 1, 1, 1) + torch.arange(w).view(1, 1, 1, w)).to(device).expand(m, c, h, w);
        var result = padded.gather(2, ys).gather(3, xs);
        return result.MoveToOuterDisposeScope();
    }

    public static ITransformer Load(ModelLoadContext context) => PerturbationFile.Read(context);
}
