using MlNetRobust.Catalogs;
using MlNetRobust.Torch;

namespace MlNetRobust;

/// <summary>
/// The entry point, as ML.NET's MLContext: one seed for everything, and the catalogs through which every
/// component is created — <c>ctx.Data</c>, <c>ctx.Transforms</c>, <c>ctx.Trainers</c>, <c>ctx.Model</c>,
/// <c>ctx.Evaluation</c>. Other assemblies add their components as extension methods on the catalogs.
/// </summary>
public sealed class RobustContext
{
    private ulong _nextSeed;

    /// <param name="seed">Makes every random choice reproducible; null draws a seed (recorded in <see cref="Seed"/>).</param>
    /// <param name="threads">libtorch's intra-op threads; null keeps the current setting.</param>
    public RobustContext(int? seed = null, int? threads = null)
    {
        Seed = seed ?? Random.Shared.Next();
        _nextSeed = (ulong)Seed;
        if (threads is { } n)
        {
            torch.set_num_threads(n);
        }
        torch.manual_seed((ulong)Seed);
        Data = new DataCatalog(this);
        Transforms = new TransformsCatalog(this);
        Trainers = new TrainersCatalog(this);
        Model = new ModelCatalog(this);
        Evaluation = new EvaluationCatalog(this);
    }

    public int Seed { get; }

    public DataCatalog Data { get; }

    public TransformsCatalog Transforms { get; }

    public TrainersCatalog Trainers { get; }

    public ModelCatalog Model { get; }

    public EvaluationCatalog Evaluation { get; }

    /// <summary>
    /// A fresh seed for the next component, derived from <see cref="Seed"/> (SplitMix64), so components created
    /// in the same order get the same seeds on every run.
    /// </summary>
    public ulong NextSeed()
    {
        lock (this)
        {
            _nextSeed += 0x9E3779B97F4A7C15UL;
            return SeedMixer.Mix(_nextSeed);
        }
    }
}

/// <summary>SplitMix64 finaliser: turns (seed, row id, salt) into well-spread 64-bit values for per-row randomness.</summary>
public static class SeedMixer
{
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static ulong Mix(ulong seed, long rowId, ulong salt = 0) =>
        Mix(seed ^ Mix((ulong)rowId + 0x9E3779B97F4A7C15UL) ^ Mix(salt + 0x632BE59BD9B4E019UL));

    /// <summary>A uniform double in [0, 1) from a mixed value.</summary>
    public static double ToUnit(ulong value) => (value >> 11) * (1.0 / (1UL << 53));
}
