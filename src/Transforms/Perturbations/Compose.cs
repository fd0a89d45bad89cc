// Compose: several perturbations as one pipeline step, applied in order to each chosen row (torchvision's
// Compose); each step keeps its own probability and seed, so "noise, jitter, flip and rotation, each with
// p = 0.3" is one step. The composite's own p (default 1) decides whether the sequence runs at all.
// Steps' column names are ignored: the composite's columns are used.
// Arguments: steps (options of any perturbations, including composites), p = 1, seed = ctx.NextSeed().
// Shapes: [N, C, H, W] → same (3 channels if any step needs them).
// Example: ctx.Transforms.Compose(ctx.Transforms.GaussianNoise(0.05, p: 0.3), ctx.Transforms.HorizontalFlip(p: 0.3))

using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Perturbations;

/// <summary>Options of <see cref="ComposeTransformer"/>.</summary>
public sealed record ComposeOptions : PerturbationOptions
{
    /// <summary>The perturbations, in the order they are applied.</summary>
    public IReadOnlyList<PerturbationOptions> Steps { get; init; } = [];

    public override ImagePerturbation CreateTransformer() => new ComposeTransformer(this);
}

/// <summary>Applies its steps in order; each step draws its own rows and parameters.</summary>
[TransformerLoader(nameof(ComposeTransformer))]
public sealed class ComposeTransformer : ImagePerturbation
{
    public ComposeTransformer(ComposeOptions options) : base(options)
    {
        if (options.Steps is null || options.Steps.Count == 0)
        {
            throw new ArgumentException("Compose: needs at least one step", nameof(options));
        }
        Steps = options.Steps.Select(s => s.CreateTransformer()).ToList();
    }

    public IReadOnlyList<ImagePerturbation> Steps { get; }

    public override int? RequiredChannels => Steps.Select(s => s.RequiredChannels).FirstOrDefault(c => c is not null);

    protected override Tensor Perturb(Tensor images, RowRandomness rows)
    {
        var current = images;
        foreach (var step in Steps)
        {
            current = step.Apply(current, rows.RowIds, rows.Salt);
        }
        return current;
    }

    public static ITransformer Load(ModelLoadContext context) => PerturbationFile.Read(context);
}
