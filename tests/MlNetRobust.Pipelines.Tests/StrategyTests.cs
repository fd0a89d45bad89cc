using MlNetRobust.Pipelines.Sweeps;

namespace MlNetRobust.Pipelines.Tests;

/// <summary>The strategies, driven through the runner by cheap synthetic objectives with known optima.</summary>
public sealed class StrategyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlnr-sweep-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>x ∈ {0..4}, y ∈ {−3..1}, both defaulting to 0.</summary>
    internal static SearchSpace XySpace() => new(
        SweepParameter.Choice("x", [0, 1, 2, 3, 4], @default: 0),
        SweepParameter.Choice("y", [-3, -2, -1, 0, 1], @default: 0));

    private SweepResult Run(ISweepStrategy strategy, ISweepObjective objective, SearchSpace? space = null, int epochs = 1, SweepBudget? budget = null,
        string folder = "sweep", TimeProvider? clock = null) =>
        new SweepRunner(new SweepOptions
        {
            OutputFolder = Path.Combine(_dir, folder),
            Space = space ?? XySpace(),
            Strategy = strategy,
            Epochs = epochs,
            Budget = budget ?? SweepBudget.Unlimited,
            Clock = clock ?? TimeProvider.System,
        }).Run(objective);

    [Fact]
    public void Grid_search_trains_every_point_once_and_finds_the_best()
    {
        var objective = SyntheticObjective.Quadratic();
        var result = Run(new GridSearch(), objective);
        Assert.Equal(25, objective.Calls.Count);
        Assert.Equal(XySpace().Grid().Select(p => p.Key + "@1"), objective.Calls.Select(c => c.Key));
        Assert.Equal("x=2;y=-1", result.Best!.Key);
        Assert.Equal(0, result.Best.Score);
        Assert.Equal(SweepStopReason.Completed, result.StopReason);
        Assert.Equal((25, 0), (result.NewTrials, result.ReusedTrials));
        Assert.Equal(Enumerable.Range(1, 25), result.Trials.Select(t => t.Id));
    }

    [Fact]
    public void Random_search_is_reproducible_from_its_seed_and_never_repeats_a_configuration()
    {
        var space = new SearchSpace(SweepParameter.Range("lr", 1e-4, 1e-1, log: true), SweepParameter.Choice("m", [0.1, 0.25, 0.4]));
        List<string> Keys(int seed, string folder)
        {
            var objective = new SyntheticObjective((p, _) => -Math.Abs(Math.Log10(p["lr"]) + 3) - p["m"]);
            Run(new RandomSearch(seed, configurations: 8), objective, space, folder: folder);
            return objective.Calls.Select(c => c.Key).ToList();
        }
        var first = Keys(7, "a");
        Assert.Equal(8, first.Count);
        Assert.Equal(8, first.Distinct().Count());
        Assert.Equal(first, Keys(7, "b"));
        Assert.NotEqual(first, Keys(8, "c"));
    }

    [Fact]
    public void Random_search_stops_when_a_small_discrete_space_runs_out()
    {
        var objective = new SyntheticObjective((p, _) => p["m"]);
        var result = Run(new RandomSearch(1, configurations: 10), objective, new SearchSpace(SweepParameter.Choice("m", [1, 2, 3])));
        Assert.Equal([1.0, 2, 3], objective.Calls.Select(c => c.Parameters["m"]).Order());
        Assert.Equal(SweepStopReason.Completed, result.StopReason);
    }

    [Fact]
    public void Greedy_coordinate_search_finds_the_optimum_of_a_separable_function_with_few_trials()
    {
        var objective = SyntheticObjective.Quadratic();
        var result = Run(new GreedyCoordinateSearch(), objective);
        Assert.Equal("x=2;y=-1", result.Best!.Key);
        // x varies with y = 0 (5 trials), then y varies with x = 2 (5 proposals, one of them x=2,y=0 already done).
        Assert.Equal(["x=0;y=0", "x=1;y=0", "x=2;y=0", "x=3;y=0", "x=4;y=0", "x=2;y=-3", "x=2;y=-2", "x=2;y=-1", "x=2;y=1"],
            objective.Calls.Select(c => c.Parameters.Key));
    }

    [Fact]
    public void Greedy_keeps_the_current_value_when_no_candidate_beats_it()
    {
        // The default y = 0 is not a candidate; all candidates are worse than it, so y stays 0.
        var space = new SearchSpace(SweepParameter.Choice("x", [1, 2]), SweepParameter.Choice("y", [5, 6], @default: 0));
        var objective = new SyntheticObjective((p, _) => p["x"] - p["y"]);
        var result = Run(new GreedyCoordinateSearch(), objective, space);
        Assert.Equal("x=2;y=0", result.Best!.Key);
        Assert.Equal(4, objective.Calls.Count);
    }

    [Fact]
    public void A_second_greedy_pass_fixes_what_the_first_could_not_see_and_a_third_is_not_needed()
    {
        // Not separable: the best x depends on y. Pass 1 ends at (0, 2); pass 2 moves x to 2 → best (2, 2); pass 3 changes nothing.
        var space = new SearchSpace(SweepParameter.Choice("x", [0, 1, 2]), SweepParameter.Choice("y", [0, 1, 2]));
        var objective = new SyntheticObjective((p, _) => p["x"] * (p["y"] - 1) + p["y"]);
        var result = Run(new GreedyCoordinateSearch(passes: 5), objective, space);
        Assert.Equal("x=2;y=2", result.Best!.Key);
        Assert.Equal(SweepStopReason.Completed, result.StopReason);
        Assert.Equal(["x=0;y=0", "x=1;y=0", "x=2;y=0", "x=0;y=1", "x=0;y=2", "x=1;y=2", "x=2;y=2", "x=2;y=1"],
            objective.Calls.Select(c => c.Parameters.Key));
    }

    [Fact]
    public void Successive_halving_promotes_the_top_third_and_spends_the_stated_epochs()
    {
        // 9 configurations of x; the score rises with x, so x = 6, 7, 8 survive rung 0 and x = 8 wins.
        var space = new SearchSpace(SweepParameter.Choice("x", Enumerable.Range(0, 9).Select(i => (double)i)));
        var objective = new SyntheticObjective((p, epochs) => p["x"] + epochs / 100.0);
        var halving = new SuccessiveHalving(eta: 3, minEpochs: 1);
        Assert.Equal([(9, 1), (3, 3), (1, 9)], halving.Rungs(9, 9));
        var result = Run(halving, objective, space, epochs: 9);

        Assert.Equal(13, objective.Calls.Count);
        Assert.All(objective.Calls.Take(9), c => Assert.Equal((1, 0, true), (c.Epochs, c.PreviousEpochs, c.MayBeContinued)));
        Assert.Equal(["x=6@3", "x=7@3", "x=8@3"], objective.Calls.Skip(9).Take(3).Select(c => c.Key).Order());
        Assert.All(objective.Calls.Skip(9).Take(3), c => Assert.Equal((3, 1, true), (c.Epochs, c.PreviousEpochs, c.MayBeContinued)));
        Assert.Equal(("x=8@9", 3, false), (objective.Calls[12].Key, objective.Calls[12].PreviousEpochs, objective.Calls[12].MayBeContinued));
        Assert.Equal(27, objective.Calls.Sum(c => c.Epochs));                        // epoch-units asked for
        Assert.Equal(21, objective.Calls.Sum(c => c.Epochs - c.PreviousEpochs));     // epochs trained when promoted trials continue
        Assert.Equal(("x=8", 9), (result.Best!.Key, result.Best.Epochs));
    }

    [Fact]
    public void Successive_halving_ranks_failed_trials_last_and_keeps_at_least_one()
    {
        var space = new SearchSpace(SweepParameter.Choice("x", [1, 2]));
        var objective = new SyntheticObjective((p, _) => p["x"] == 2 ? null : p["x"]);
        var result = Run(new SuccessiveHalving(eta: 3), objective, space, epochs: 3);
        Assert.Equal(["x=1@1", "x=2@1", "x=1@3"], objective.Calls.Select(c => c.Key));
        Assert.Equal(TrialStatus.Failed, result.Trials[1].Status);
        Assert.Equal("x=1", result.Best!.Key);
    }

    [Fact]
    public void Successive_halving_can_start_from_random_configurations()
    {
        var space = new SearchSpace(SweepParameter.Range("lr", 1e-4, 1e-1, log: true));
        var objective = new SyntheticObjective((p, _) => -Math.Abs(Math.Log10(p["lr"]) + 3));
        Run(new SuccessiveHalving(eta: 2, configurations: 4, seed: 5), objective, space, epochs: 2);
        Assert.Equal(6, objective.Calls.Count); // 4 × 1 epoch, 2 × 2 epochs
        Assert.Equal(4, objective.Calls.Take(4).Select(c => c.Key).Distinct().Count());
    }
}
