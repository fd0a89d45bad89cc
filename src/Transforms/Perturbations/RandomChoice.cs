// RandomChoice: each chosen row gets exactly one of several perturbations, picked per row with the given
// weights (uniform by default), as torchvision's RandomChoice. The picked step still applies its own p.
// Steps' column names are ignored: the composite's columns are used.
// Arguments: steps, weights = null (uniform), p = 1, seed = ctx.NextSeed().
// Shapes: [N, C, H, W] → same (3 channels if any step needs them).
// Example: ctx.Transforms.RandomChoice([ctx.Transforms.HorizontalFlip(p: 1), ctx.Transforms.RandomRotation(p: 1)])

using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Perturbations;

/// <summary>Options of <see cref="RandomChoiceTransformer"/>.</summary>
public sealed record RandomChoiceOptions : PerturbationOptions
{
    /// <summary>The perturbations to choose from.</summary>
    public IReadOnlyList<PerturbationOptions> Steps { get; init; } = [];

    /// <summary>Relative weights of the steps (null: equal).</summary>
    public IReadOnlyList<double>? Weights { get; init; }

    public override ImagePerturbation CreateTransformer() => new RandomChoiceTransformer(this);
}

/// <summary>Applies one step per chosen row.</summary>
[TransformerLoader(nameof(RandomChoiceTransformer))]
public sealed class RandomChoiceTransformer : ImagePerturbation
{
    private readonly double[] _cumulative;

    public RandomChoiceTransformer(RandomChoiceOptions options) : base(options)
    {
        if (options.Steps is null || options.Steps.Count == 0)
        {
            throw new ArgumentException("RandomChoice: needs at least one step", nameof(options));
        }
        var weights = options.Weights?.ToArray() ?? Enumerable.Repeat(1.0, options.Steps.Count).ToArray();
        if (weights.Length != options.Steps.Count || weights.Any(w => !(w >= 0) || double.IsInfinity(w)) || !(weights.Sum() > 0))
        {
            throw new ArgumentException($"RandomChoice: need one finite weight >= 0 per step ({options.Steps.Count}) with a positive sum", nameof(options));
        }
        var total = weights.Sum();
        _cumulative = new double[weights.Length];
        var running = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            running += weights[i] / total;
            _cumulative[i] = running;
        }
        Steps = options.Steps.Select(s => s.CreateTransformer()).ToList();
    }

    public IReadOnlyList<ImagePerturbation> Steps { get; }

    public override int? RequiredChannels => Steps.Select(s => s.RequiredChannels).FirstOrDefault(c => c is not null);

    protected override Tensor Perturb(Tensor images, RowRandomness rows)
    {
        // The first step whose cumulative weight exceeds u (the last one if rounding leaves u above them all).
        var choice = Array.ConvertAll(rows.NextUniform(), u =>
        {
            var k = Array.FindIndex(_cumulative, c => u < c);
            return k < 0 ? _cumulative.Length - 1 : k;
        });
        var ids = rows.RowIds.ToArray();
        var result = images.clone();
        for (var k = 0; k < Steps.Count; k++)
        {
            var positions = Enumerable.Range(0, choice.Length).Where(r => choice[r] == k).ToArray();
            if (positions.Length == 0)
            {
                continue;
            }
            var index = torch.tensor(positions.Select(r => (long)r).ToArray()).to(images.device);
            var subsetIds = positions.Select(r => ids[r]).ToArray();
            result.index_put_([index], Steps[k].Apply(images.index_select(0, index), subsetIds, rows.Salt));
        }
        return result;
    }

    public static ITransformer Load(ModelLoadContext context) => PerturbationFile.Read(context);
}
