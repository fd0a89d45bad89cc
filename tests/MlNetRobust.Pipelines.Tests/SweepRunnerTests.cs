using System.Text.Json;
using MlNetRobust.Pipelines.Sweeps;

namespace MlNetRobust.Pipelines.Tests;

/// <summary>Budgets, the trial log (resume, torn lines, another sweep's log) and the files a sweep writes.</summary>
public sealed class SweepRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlnr-sweep-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private SweepRunner Runner(ISweepStrategy strategy, SweepBudget? budget = null, SearchSpace? space = null, TimeProvider? clock = null,
        IProgress<SweepEvent>? events = null) =>
        new(new SweepOptions
        {
            OutputFolder = _dir,
            Space = space ?? StrategyTests.XySpace(),
            Strategy = strategy,
            Budget = budget ?? SweepBudget.Unlimited,
            Clock = clock ?? TimeProvider.System,
        })
        { Events = events };

    [Fact]
    public void A_trial_budget_stops_the_sweep_and_a_rerun_skips_the_logged_trials()
    {
        var first = SyntheticObjective.Quadratic();
        var stopped = Runner(new GridSearch(), new SweepBudget { MaxTrials = 7 }).Run(first);
        Assert.Equal(7, first.Calls.Count);
        Assert.Equal(SweepStopReason.TrialBudget, stopped.StopReason);
        Assert.Null(first.CompletedFolders); // a stopped sweep keeps what its later trials may continue

        var second = SyntheticObjective.Quadratic();
        var events = new List<SweepEvent>();
        var resumed = Runner(new GridSearch(), events: new Collect(events)).Run(second);
        Assert.Equal(18, second.Calls.Count);
        Assert.Equal(first.Calls.Select(c => c.Key).Concat(second.Calls.Select(c => c.Key)), StrategyTests.XySpace().Grid().Select(p => p.Key + "@1"));
        Assert.Equal((18, 7, SweepStopReason.Completed), (resumed.NewTrials, resumed.ReusedTrials, resumed.StopReason));
        Assert.Equal(Enumerable.Range(1, 25), resumed.Trials.Select(t => t.Id));
        Assert.Equal(7, events.Count(e => e.Kind == SweepEventKind.Reused));
        Assert.Equal(Enumerable.Range(8, 18), events.Where(e => e.Kind == SweepEventKind.Finished).Select(e => e.TrialId));
        Assert.Equal(26, File.ReadAllLines(resumed.LogPath).Length); // header + 25 trials
        Assert.Equal(25, second.CompletedFolders!.Count);
        Assert.All(second.CompletedFolders, f => Assert.StartsWith(Path.Combine(_dir, "trials", "cfg-"), f));

        // A third run trains nothing.
        var third = SyntheticObjective.Quadratic();
        Assert.Equal(25, Runner(new GridSearch()).Run(third).ReusedTrials);
        Assert.Empty(third.Calls);
    }

    [Fact]
    public void An_interrupted_greedy_sweep_resumes_to_the_same_result_without_repeating_trials()
    {
        var first = SyntheticObjective.Quadratic();
        Runner(new GreedyCoordinateSearch(), new SweepBudget { MaxTrials = 4 }).Run(first);
        var second = SyntheticObjective.Quadratic();
        var result = Runner(new GreedyCoordinateSearch()).Run(second);
        Assert.Equal(4, first.Calls.Count);
        Assert.Equal(5, second.Calls.Count);
        Assert.Empty(first.Calls.Select(c => c.Key).Intersect(second.Calls.Select(c => c.Key)));
        Assert.Equal("x=2;y=-1", result.Best!.Key);
    }

    [Fact]
    public void A_time_budget_stops_before_the_trial_that_would_start_after_it()
    {
        var clock = new FakeClock();
        var objective = new SyntheticObjective((p, _) => p["x"]) { Clock = clock, TrialTime = TimeSpan.FromSeconds(10) };
        var result = Runner(new GridSearch(), new SweepBudget { MaxTime = TimeSpan.FromSeconds(25) }, clock: clock).Run(objective);
        Assert.Equal(3, objective.Calls.Count); // started at 0 s, 10 s and 20 s; at 30 s the budget is spent
        Assert.Equal(SweepStopReason.TimeBudget, result.StopReason);
    }

    [Fact]
    public void Budgets_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SweepBudget { MaxTrials = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SweepBudget { MaxTime = TimeSpan.Zero });
    }

    [Fact]
    public void The_log_of_another_sweep_is_refused_naming_what_differs()
    {
        Runner(new GridSearch(), new SweepBudget { MaxTrials = 1 }).Run(SyntheticObjective.Quadratic());
        var e = Assert.Throws<SweepLogMismatchException>(() => Runner(new GridSearch()).Run(new SyntheticObjective((_, _) => 0, "other")));
        Assert.Equal($"the trial log '{Path.Combine(_dir, "trials.jsonl")}' belongs to a different sweep (objective: 'quadratic' there, 'other' here); use another output folder, or delete it to start over", e.Message);
        var space = Assert.Throws<SweepLogMismatchException>(() => Runner(new GridSearch(), space: new SearchSpace(SweepParameter.Choice("x", [1]))).Run(SyntheticObjective.Quadratic()));
        Assert.Contains("(space: 'x=0,1,2,3,4 (default 0); y=-3,-2,-1,0,1 (default 0)' there, 'x=1 (default 1)' here)", space.Message);
    }

    [Fact]
    public void A_torn_last_line_is_dropped_and_its_trial_run_again()
    {
        Runner(new GridSearch(), new SweepBudget { MaxTrials = 2 }).Run(SyntheticObjective.Quadratic());
        var log = Path.Combine(_dir, "trials.jsonl");
        File.AppendAllText(log, "{\"trial\":{\"id\":3,\"key\":\"x=0;y");   // the process died mid-write
        var objective = SyntheticObjective.Quadratic();
        var result = Runner(new GridSearch(), new SweepBudget { MaxTrials = 3 }).Run(objective);
        Assert.Equal(["x=0;y=-1@1"], objective.Calls.Select(c => c.Key));
        Assert.Equal([1, 2, 3], result.Trials.Select(t => t.Id));
        Assert.All(File.ReadAllLines(log), line => JsonDocument.Parse(line));
    }

    [Fact]
    public void A_corrupt_line_in_the_middle_is_reported_with_its_number()
    {
        Runner(new GridSearch(), new SweepBudget { MaxTrials = 2 }).Run(SyntheticObjective.Quadratic());
        var log = Path.Combine(_dir, "trials.jsonl");
        var lines = File.ReadAllLines(log);
        lines[1] = "not json";
        File.WriteAllLines(log, lines);
        var e = Assert.Throws<InvalidDataException>(() => Runner(new GridSearch()).Run(SyntheticObjective.Quadratic()));
        Assert.StartsWith($"'{log}' line 2: not valid JSON", e.Message);
    }

    [Fact]
    public void Failed_trials_are_logged_never_best_and_not_run_again()
    {
        var space = new SearchSpace(SweepParameter.Choice("x", [1, 2, 3]));
        var objective = new SyntheticObjective((p, _) => p["x"] == 3 ? null : p["x"]);
        var result = Runner(new GridSearch(), space: space).Run(objective);
        Assert.Equal((TrialStatus.Failed, null, "diverged"), (result.Trials[2].Status, result.Trials[2].Score, result.Trials[2].Message));
        Assert.Equal("x=2", result.Best!.Key);
        var again = new SyntheticObjective((_, _) => 0);
        Runner(new GridSearch(), space: space).Run(again);
        Assert.Empty(again.Calls);
    }

    [Fact]
    public void The_trial_table_and_the_best_configuration_are_written()
    {
        var space = new SearchSpace(SweepParameter.Choice("m", [0.1, 0.25]), SweepParameter.Choice("gamma", [64]));
        var result = Runner(new GridSearch(), space: space).Run(new SyntheticObjective((p, _) => p["m"] * 2));
        var csv = File.ReadAllLines(result.TablePath);
        Assert.Equal("trial,status,epochs,m,gamma,score,double,seconds", csv[0]);
        Assert.StartsWith("1,ok,1,0.1,64,0.2,0.4,", csv[1]);
        Assert.StartsWith("2,ok,1,0.25,64,0.5,1,", csv[2]);
        var best = JsonDocument.Parse(File.ReadAllText(result.BestPath!)).RootElement;
        Assert.Equal(0.25, best.GetProperty("parameters").GetProperty("m").GetDouble());
        Assert.Equal(0.5, best.GetProperty("score").GetDouble());
        Assert.Equal(2, best.GetProperty("trial").GetProperty("id").GetInt32());
        Assert.Equal("grid", best.GetProperty("sweep").GetProperty("strategy").GetString());
        Assert.Equal(Path.Combine("trials", SweepRunner.FolderName(new ParameterSet(result.Trials[1].Parameters))), result.Trials[1].Folder);
    }

    private sealed class Collect(List<SweepEvent> events) : IProgress<SweepEvent>
    {
        public void Report(SweepEvent value) => events.Add(value);
    }
}
