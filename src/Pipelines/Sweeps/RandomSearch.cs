namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>
/// Configurations drawn at random (ranges uniformly, or log-uniformly; choices uniformly) from a seeded generator,
/// never the same one twice. Bergstra and Bengio, "Random Search for Hyper-Parameter Optimization", JMLR 2012.
/// </summary>
public sealed class RandomSearch(int seed, int configurations = RandomSearch.Defaults.Configurations) : ISweepStrategy
{
    public static class Defaults
    {
        public const int Configurations = 10;
    }

    /// <summary>Draws in a row that only repeat earlier configurations before the space counts as exhausted.</summary>
    internal const int MaxRepeats = 1000;

    public int Seed { get; } = seed;

    public int Configurations { get; } = configurations >= 1 ? configurations
        : throw new ArgumentOutOfRangeException(nameof(configurations), configurations, "random search needs at least one configuration");

    public string Name => "random";

    public string Describe() => $"random(seed={Seed}, configurations={Configurations})";

    public IEnumerable<TrialRequest> Propose(SearchSpace space, int epochs, ITrialResults results) =>
        Distinct(space, Seed, Configurations).Select(p => new TrialRequest(p, epochs));

    /// <summary>Up to <paramref name="count"/> distinct random configurations (fewer when a small discrete space runs out).</summary>
    internal static IEnumerable<ParameterSet> Distinct(SearchSpace space, int seed, int count)
    {
        var random = new Random(seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var repeats = 0;
        while (seen.Count < count && repeats < MaxRepeats)
        {
            var candidate = space.Sample(random);
            if (seen.Add(candidate.Key))
            {
                repeats = 0;
                yield return candidate;
            }
            else
            {
                repeats++;
            }
        }
    }
}
