using System.CommandLine;
using System.Globalization;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Pipelines.Experiments;
using MlNetRobust.Pipelines.Scenarios;
using MlNetRobust.Pipelines.Sweeps;
using Spectre.Console;

namespace MlNetRobust.Cli.Commands;

/// <summary>
/// <c>mlnet-robust sweep</c>: tunes a scenario's hyper-parameters (greedy coordinate search as the research did, grid,
/// random or successive halving) on a small stratified slice, scoring each trial on the validation slice. Every
/// finished trial is appended to OUT/trials.jsonl, so rerunning the same command resumes the sweep without training
/// those again; OUT/trials.csv holds the table and OUT/best.json the best configuration.
/// </summary>
public sealed class SweepCommand : ICliCommand
{
    /// <summary>A sweep's trial is short: these apply unless the option is given.</summary>
    public static class Defaults
    {
        public const int Epochs = 3;
        public const int TrainPerClass = 200;
        public const int ValidationPerClass = 50;
    }

    private static readonly string[] s_strategies = ["greedy", "grid", "random", "halving"];
    private static readonly string[] s_metrics = ["accuracy", "fgsm", "mean"];

    public Command Build(CliEnvironment environment)
    {
        var binder = new ExperimentOptionsBinder();
        // A sweep's trials are short: its help must show the defaults it applies, not train's.
        binder.Epochs.DefaultValueFactory = _ => Defaults.Epochs;
        binder.ValidationPerClass.DefaultValueFactory = _ => Defaults.ValidationPerClass;
        binder.TrainPerClass.Description = $"Cap on training images per class [default: {Defaults.TrainPerClass}]";
        var scenario = new Option<string>("--scenario", "-s")
        {
            Description = $"What to tune: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}",
            DefaultValueFactory = _ => ScenarioCatalog.BaselineCrossEntropy.Name,
        };
        var param = new Option<string[]>("--param", "-p")
        {
            Description = "A parameter to vary, repeatable: NAME=V1,V2,... or NAME=LOW..HIGH[:log][:POINTS]. Default: the scenario's usual sweep " +
                "(circle: m, gamma; angular: alpha; fgsm-adversarial: eps, probability; fgsm-pgd-adversarial: pgd-eps, probability; cross-entropy: lr)",
        };
        var strategy = new Option<string>("--strategy")
        {
            Description = "greedy (one parameter at a time, keeping the best), grid (every combination), random, or halving (successive halving)",
            DefaultValueFactory = _ => "greedy",
        };
        var trials = new Option<int?>("--trials") { Description = "Stop after this many trials in the log (earlier runs' count)" };
        var timeBudget = new Option<string?>("--time-budget") { Description = $"Start no trial after this much time in this run ({Durations.Examples})" };
        var metric = new Option<string>("--metric")
        {
            Description = "What to maximise on the validation slice: accuracy, fgsm (accuracy under FGSM eps 8/255) or mean (of the two)",
            DefaultValueFactory = _ => "accuracy",
        };
        var configurations = new Option<int?>("--configurations")
        {
            Description = $"random: configurations to draw (default {RandomSearch.Defaults.Configurations}); halving: random starting configurations (default: the grid)",
        };
        var eta = new Option<int>("--eta") { Description = "halving: keep the best 1/eta at each rung", DefaultValueFactory = _ => SuccessiveHalving.Defaults.Eta };
        var minEpochs = new Option<int>("--min-epochs") { Description = "halving: epochs of the first rung", DefaultValueFactory = _ => SuccessiveHalving.Defaults.MinEpochs };
        OneOf(strategy, "--strategy", s_strategies);
        OneOf(metric, "--metric", s_metrics);
        trials.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
            {
                r.AddError("--trials must be at least 1");
            }
        });
        configurations.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
            {
                r.AddError("--configurations must be at least 1");
            }
        });
        eta.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 2)
            {
                r.AddError("--eta must be at least 2");
            }
        });
        minEpochs.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--min-epochs must be at least 1");
            }
        });
        timeBudget.Validators.Add(r =>
        {
            var text = r.GetValueOrDefault<string?>();
            if (Durations.Parse(text) is not { } budget)
            {
                r.AddError($"--time-budget: '{text}' is not a duration (use e.g. {Durations.Examples})");
            }
            else if (budget <= TimeSpan.Zero)
            {
                r.AddError("--time-budget must be positive");
            }
        });

        var command = new Command("sweep", $"""
            Tune a scenario's hyper-parameters on a slice of the data; rerun the same command to resume.
            Each trial trains on --train-per-class images per class (default {Defaults.TrainPerClass}) for --epochs (default {Defaults.Epochs}; halving: the last rung's)
            and is scored on --validation-per-class images per class (default {Defaults.ValidationPerClass}) of the validation pool, never on the test set.
            Writes OUT/trials.jsonl (one line per finished trial), OUT/trials.csv and OUT/best.json.

            Examples:
              mlnet-robust sweep --scenario circle --output sweeps/circle
              mlnet-robust sweep --scenario circle --param m=0.1,0.25,0.4 --param gamma=32,64,128,256 --strategy greedy -o sweeps/circle
              mlnet-robust sweep --scenario fgsm-adversarial --metric mean --strategy grid --time-budget 2h -o sweeps/fgsm
              mlnet-robust sweep --param lr=1e-4..1e-2:log:5 --strategy halving --epochs 9 -o sweeps/lr
            """);
        foreach (var option in new Option[] { scenario, param, strategy, trials, timeBudget, metric, configurations, eta, minEpochs,
            binder.Data, binder.Output, binder.Epochs, binder.BatchSize, binder.LearningRate, binder.Scheduler, binder.StepSize, binder.TrainFraction, binder.TrainPerClass,
            binder.ValidationPerClass, binder.Width })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse =>
        {
            bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
            var ctx = environment.Context(parse);
            var chosen = Scenario(parse.GetValue(scenario)!);
            var strategyName = parse.GetValue(strategy)!;
            foreach (var (option, name, appliesTo) in new[] { ((Option)eta, "--eta", "halving"), (minEpochs, "--min-epochs", "halving") })
            {
                if (Given(option) && strategyName != appliesTo)
                {
                    throw new CliError($"{name} only applies to --strategy {appliesTo}");
                }
            }
            if (Given(configurations) && strategyName is not ("random" or "halving"))
            {
                throw new CliError("--configurations only applies to --strategy random or halving");
            }
            var space = Space(chosen, parse.GetValue(param) ?? []);
            var data = new ExperimentOptions
            {
                DataFolder = parse.GetValue(binder.Data)?.FullName,
                OutputFolder = parse.GetValue(binder.Output)!.FullName,
                Scenarios = [chosen.Name],
                TrainFraction = parse.GetValue(binder.TrainFraction),
                TrainPerClass = Given(binder.TrainPerClass) ? parse.GetValue(binder.TrainPerClass) : Defaults.TrainPerClass,
                ValidationPerClass = Given(binder.ValidationPerClass) ? parse.GetValue(binder.ValidationPerClass) : Defaults.ValidationPerClass,
                Training = new TrainingSettings
                {
                    BatchSize = parse.GetValue(binder.BatchSize),
                    LearningRate = parse.GetValue(binder.LearningRate),
                    Scheduler = binder.GetScheduler(parse),
                    StepSize = parse.GetValue(binder.StepSize),
                    Width = parse.GetValue(binder.Width),
                    Seed = ctx.Seed,
                },
            };
            ISweepStrategy plan = strategyName switch
            {
                "grid" => new GridSearch(),
                "random" => new RandomSearch(ctx.Seed, parse.GetValue(configurations) ?? RandomSearch.Defaults.Configurations),
                "halving" => new SuccessiveHalving(parse.GetValue(eta), parse.GetValue(minEpochs), parse.GetValue(configurations), ctx.Seed),
                _ => new GreedyCoordinateSearch(),
            };
            var options = new SweepOptions
            {
                OutputFolder = data.OutputFolder,
                Space = space,
                Strategy = plan,
                Epochs = Given(binder.Epochs) ? parse.GetValue(binder.Epochs) : Defaults.Epochs,
                Budget = new SweepBudget { MaxTrials = parse.GetValue(trials), MaxTime = Durations.Parse(parse.GetValue(timeBudget)) },
            };
            var sweepMetric = Enum.Parse<SweepMetric>(parse.GetValue(metric)!, ignoreCase: true);
            string? intro = $"sweep {chosen.Name}: {plan.Describe()} over {space.Describe()}; {options.Epochs} epoch(s) per trial; log {Path.Combine(options.OutputFolder, "trials.jsonl")}";
            SweepResult result;
            string scoreName;
            try
            {
                (result, scoreName) = new TrainingProgressView(ctx).Run((training, messages) =>
                {
                    using var objective = new ScenarioObjective(new RobustContext(ctx.Seed), chosen, data, sweepMetric)
                    {
                        TrainingProgress = new Callback<(int Trial, Trainers.Training.TrainingProgress Progress)>(e => training.Report(($"trial {e.Trial}", e.Progress))),
                    };
                    var runner = new SweepRunner(options)
                    {
                        Events = new Callback<SweepEvent>(e =>
                        {
                            // Said at the first trial, when the log has been accepted: a refused sweep prints its error alone.
                            if (intro is not null)
                            {
                                messages.Report(intro);
                                intro = null;
                            }
                            messages.Report(Describe(e));
                        }),
                    };
                    return (runner.Run(objective), sweepMetric switch
                    {
                        SweepMetric.Fgsm => objective.FgsmMetric,
                        SweepMetric.Mean => $"mean of accuracy and {objective.FgsmMetric}",
                        _ => ScenarioObjective.AccuracyMetric,
                    });
                });
            }
            catch (SweepLogMismatchException e)
            {
                throw new CliError($"--output: {e.Message.Replace("use another output folder", "use another --output", StringComparison.Ordinal)}");
            }
            var output = new
            {
                Scenario = chosen.Name,
                Strategy = plan.Name,
                Metric = scoreName,
                result.StopReason,
                result.NewTrials,
                result.ReusedTrials,
                result.Best,
                result.ParameterNames,
                result.Trials,
                result.LogPath,
                result.TablePath,
                result.BestPath,
            };
            ctx.Result(output, () => Render(ctx, result, scoreName));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Scenario Scenario(string name)
    {
        try
        {
            return ScenarioCatalog.Get(name);
        }
        catch (ArgumentException e)
        {
            throw new CliError(e.Message);
        }
    }

    private static SearchSpace Space(Scenario scenario, string[] specs)
    {
        try
        {
            return specs.Length == 0 ? ScenarioSearchSpace.Default(scenario) : ScenarioSearchSpace.Parse(scenario, specs);
        }
        catch (ArgumentException e)
        {
            throw new CliError($"--param {e.Message}");
        }
    }

    private static void OneOf(Option<string> option, string name, string[] allowed) => option.Validators.Add(r =>
    {
        var value = r.GetValueOrDefault<string>();
        if (!allowed.Contains(value))
        {
            r.AddError($"{name}: unknown value '{value}'; use one of {string.Join(", ", allowed)}");
        }
    });

    /// <summary>One line per trial event, e.g. "trial 3 (m=0.25 gamma=64, 3 epochs): score 41.0% (accuracy 41.0%, fgsm_8/255 3.0%), 52 s".</summary>
    internal static string Describe(SweepEvent e)
    {
        var head = $"trial {e.TrialId} ({e.Request.Parameters}, {Epochs(e.Request.Epochs)})";
        return e.Kind switch
        {
            SweepEventKind.Reused => $"{head}: in the log, not trained again — {Outcome(e.Trial!)}",
            SweepEventKind.Started => $"{head}: training" + (e.Request.PreviousEpochs > 0 ? $", continuing from its {Epochs(e.Request.PreviousEpochs)}" : ""),
            _ => $"{head}: {Outcome(e.Trial!)}, {e.Trial!.Seconds:F0} s",
        };
    }

    private static string Epochs(int n) => n == 1 ? "1 epoch" : $"{n} epochs";

    private static string Outcome(SweepTrial t) => t.Status == TrialStatus.Ok
        ? $"score {t.Score:P1} ({string.Join(", ", t.Metrics.Select(m => $"{m.Key} {m.Value:P1}"))})"
        : $"failed: {t.Message}";

    private static void Render(CliContext ctx, SweepResult result, string scoreName)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(ctx.Stdout) });
        if (!console.Profile.Capabilities.Interactive)
        {
            console.Profile.Width = 200;
        }
        var metrics = result.Trials.SelectMany(t => t.Metrics.Keys).Distinct().ToList();
        var table = new Table().AddColumns(["trial", .. result.ParameterNames, "epochs", "score", .. metrics, "seconds", "status"]);
        foreach (var t in result.Trials)
        {
            var best = result.Best?.Id == t.Id;
            string[] cells = [best ? $"{t.Id} *" : t.Id.ToString(CultureInfo.InvariantCulture),
                .. result.ParameterNames.Select(p => SweepParameter.Format(t.Parameters[p])),
                t.Epochs.ToString(CultureInfo.InvariantCulture), t.Score is { } s ? s.ToString("P1", CultureInfo.InvariantCulture) : "—",
                .. metrics.Select(m => t.Metrics.TryGetValue(m, out var v) ? v.ToString("P1", CultureInfo.InvariantCulture) : "—"),
                t.Seconds.ToString("F0", CultureInfo.InvariantCulture), t.Status.ToString().ToLowerInvariant()];
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        console.Write(table);
        console.WriteLine($"score: {scoreName} on the validation slice");
        console.WriteLine(result.Best is { } b
            ? $"best: trial {b.Id}: {string.Join(" ", b.Parameters.Select(p => $"{p.Key}={SweepParameter.Format(p.Value)}"))} ({Epochs(b.Epochs)}), score {b.Score:P1}"
            : "best: none (no trial finished successfully)");
        console.WriteLine(result.StopReason switch
        {
            SweepStopReason.TrialBudget => "stopped: the trial budget is spent (rerun with a larger --trials to go on)",
            SweepStopReason.TimeBudget => "stopped: the time budget is spent (rerun to go on)",
            _ => "completed",
        } + $"; {result.NewTrials} trial(s) trained now, {result.ReusedTrials} found in the log");
        console.WriteLine($"trials: {result.TablePath}");
        if (result.BestPath is { } path)
        {
            console.WriteLine($"best configuration: {path}");
        }
    }

    private sealed class Callback<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
