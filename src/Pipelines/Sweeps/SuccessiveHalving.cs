namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>
/// Successive halving (Jamieson and Talwalkar 2016, https://arxiv.org/abs/1502.07943; the inner loop of Hyperband,
/// Li et al. 2018): train many configurations for a few epochs, keep the best 1/eta, train the survivors eta times
/// longer, and so on until the full epoch count — weak trials stop early, so a short budget goes to promising ones.
/// Rungs: epochs e₀ = min epochs, eᵢ₊₁ = min(eᵢ·eta, epochs); survivors nᵢ₊₁ = max(1, ⌊nᵢ/eta⌋); the last rung trains
/// at the full epochs. A promoted trial names its earlier epochs (<see cref="TrialRequest.PreviousEpochs"/>), so an
/// objective with checkpoints only trains the difference. Failed trials rank last; ties keep the earlier one.
/// Starting configurations: the space's grid, or <c>configurations</c> distinct random ones.
/// Example: 9 configurations, eta 3, 9 epochs → 9 × 1 epoch, 3 × 3, 1 × 9: 27 epoch-units asked (21 trained with checkpoints).
/// </summary>
public sealed class SuccessiveHalving(int eta = SuccessiveHalving.Defaults.Eta, int minEpochs = SuccessiveHalving.Defaults.MinEpochs,
    int? configurations = null, int seed = 0) : ISweepStrategy
{
    public static class Defaults
    {
        public const int Eta = 3;
        public const int MinEpochs = 1;
    }

    public int Eta { get; } = eta >= 2 ? eta : throw new ArgumentOutOfRangeException(nameof(eta), eta, "successive halving needs eta of at least 2");

    public int MinEpochs { get; } = minEpochs >= 1 ? minEpochs
        : throw new ArgumentOutOfRangeException(nameof(minEpochs), minEpochs, "successive halving needs at least 1 epoch in its first rung");

    /// <summary>How many random configurations start; null starts with the whole grid.</summary>
    public int? Configurations { get; } = configurations is null or >= 1 ? configurations
        : throw new ArgumentOutOfRangeException(nameof(configurations), configurations, "successive halving needs at least one configuration");

    public int Seed { get; } = seed;

    public string Name => "halving";

    public string Describe() =>
        $"halving(eta={Eta}, min_epochs={MinEpochs}, configurations={(Configurations is { } n ? $"{n} random, seed={Seed}" : "grid")})";

    /// <summary>The rungs' (configurations, epochs) for <paramref name="configurations"/> starting configurations.</summary>
    public IReadOnlyList<(int Configurations, int Epochs)> Rungs(int configurations, int epochs)
    {
        var rungs = new List<(int, int)>();
        var (n, e) = (configurations, Math.Min(MinEpochs, epochs));
        while (true)
        {
            rungs.Add((n, e));
            if (e >= epochs)
            {
                return rungs;
            }
            (n, e) = (Math.Max(1, n / Eta), Math.Min(epochs, e * Eta));
        }
    }

    public IEnumerable<TrialRequest> Propose(SearchSpace space, int epochs, ITrialResults results)
    {
        var rung = (Configurations is { } count ? RandomSearch.Distinct(space, Seed, count) : space.Grid()).ToList();
        var previous = 0;
        var plan = Rungs(rung.Count, epochs);
        for (var r = 0; r < plan.Count; r++)
        {
            var last = r == plan.Count - 1;
            var scored = new List<(ParameterSet Parameters, double Score)>();
            foreach (var parameters in rung)
            {
                var request = new TrialRequest(parameters, plan[r].Epochs) { PreviousEpochs = previous, MayBeContinued = !last };
                yield return request;
                scored.Add((parameters, results.ScoreOf(request) ?? double.NegativeInfinity));
            }
            if (!last)
            {
                // OrderByDescending is stable: equal scores keep their proposal order.
                rung = scored.OrderByDescending(s => s.Score).Take(plan[r + 1].Configurations).Select(s => s.Parameters).ToList();
                previous = plan[r].Epochs;
            }
        }
    }
}
