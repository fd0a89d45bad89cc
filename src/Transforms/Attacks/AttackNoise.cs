using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Attacks;

/// <summary>
/// Random numbers for attacks' random starts: from one generator for the whole batch, or per row — each row from its
/// own generator seeded by SeedMixer(seed, row id, draw number), so a row gets the same start in any batch (what the
/// attack transformer uses; it costs one small generator per row and draw).
/// </summary>
public sealed class AttackNoise
{
    private readonly Generator? _generator;
    private readonly ulong _seed;
    private readonly long[]? _rowIds;
    private ulong _draws;

    private AttackNoise(Generator? generator, ulong seed, long[]? rowIds) => (_generator, _seed, _rowIds) = (generator, seed, rowIds);

    internal static AttackNoise FromGenerator(Generator? generator) => new(generator, 0, null);

    internal static AttackNoise PerRow(ulong seed, IReadOnlyList<long> rowIds) => new(null, seed, rowIds.ToArray());

    /// <summary>Uniform in [low, high), shaped as <paramref name="shape"/> (first dimension: the batch), in <paramref name="like"/>'s dtype and device.</summary>
    public Tensor Uniform(long[] shape, Tensor like, double low, double high) =>
        Draw(shape, like, (s, g) => torch.rand(s, g, like.dtype)).mul(high - low).add(low);

    /// <summary>Standard normal, shaped as <paramref name="like"/>.</summary>
    public Tensor Normal(Tensor like) => Draw(like.shape, like, (s, g) => torch.randn(s, g, like.dtype));

    private Tensor Draw(long[] shape, Tensor like, Func<long[], Generator?, Tensor> sample)
    {
        var draw = _draws++;
        Tensor result;
        if (_rowIds is not null && _rowIds.Length != shape[0])
        {
            throw new ArgumentException($"{_rowIds.Length} row ids for a batch of {shape[0]}");
        }
        if (_rowIds is null || _rowIds.Length == 0)
        {
            result = sample(shape, _generator);
        }
        else
        {
            using var scope = torch.NewDisposeScope();
            long[] rowShape = [1, .. shape[1..]];
            var rows = new Tensor[_rowIds.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                using var generator = new Generator(SeedMixer.Mix(_seed, _rowIds[i], draw));
                rows[i] = sample(rowShape, generator);
            }
            result = torch.cat(rows).MoveToOuterDisposeScope();
        }
        if (like.device.Type != DeviceType.CPU)
        {
            using (result)
            {
                return result.to(like.device);
            }
        }
        return result;
    }
}
