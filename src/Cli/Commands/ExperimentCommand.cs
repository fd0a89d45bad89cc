using System.CommandLine;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Pipelines.Experiments;
using MlNetRobust.Pipelines.Scenarios;

namespace MlNetRobust.Cli.Commands;

/// <summary>
/// <c>mlnet-robust experiment</c>: trains several scenarios on the same split, evaluates each with the
/// classifier and KNN heads on clean, perturbed, attacked and corrupted test sets, and writes the comparison
/// table and the HTML report. <c>--quick</c> is a ~10-minute version on a slice of CIFAR-10. Re-running skips
/// finished scenarios and resumes an interrupted one from its last epoch.
/// </summary>
public sealed class ExperimentCommand : ICliCommand
{
    public Command Build(CliEnvironment environment)
    {
        var binder = new ExperimentOptionsBinder();
        var scenarios = new Option<string[]>("--scenarios")
        {
            Description = $"Scenarios to run: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))} (default: all)",
            AllowMultipleArgumentsPerToken = true,
        };
        var quick = new Option<bool>("--quick")
        {
            Description = "A short run on a slice of the data: 100 training images per class, 3 epochs, 50 test images per class, baseline-ce and fgsm-adversarial unless --scenarios says otherwise",
        };
        var param = new Option<string[]>("--param", "-p")
        {
            Description = "Fix a scenario parameter, repeatable: NAME=VALUE (e.g. probability=1); applies to every chosen scenario that has it",
        };
        var command = new Command("experiment", """
            Train and compare scenarios; write results.csv, results.json and report/report.html.

            Examples:
              mlnet-robust experiment --quick --output out/quick
              mlnet-robust experiment --scenarios baseline-ce fgsm-adversarial angular --output runs/research
              mlnet-robust experiment --scenarios fgsm-rs-adversarial --param probability=1 --epochs 30 --output runs/fgsm-rs-p1
            """);
        command.Options.Add(scenarios);
        command.Options.Add(quick);
        command.Options.Add(param);
        binder.AddTo(command);
        command.SetAction(parse =>
        {
            var ctx = environment.Context(parse);
            var isQuick = parse.GetValue(quick);
            var names = parse.GetValue(scenarios) is { Length: > 0 } given
                ? given.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList()
                : isQuick ? [ScenarioCatalog.BaselineCrossEntropy.Name, ScenarioCatalog.FgsmAdversarial.Name] : ScenarioCatalog.All.Select(s => s.Name).ToList();
            var options = binder.Bind(parse, ctx, names);
            try
            {
                options = options with { Parameters = ScenarioOverrides.Parse(parse.GetValue(param) ?? [], names.Select(ScenarioCatalog.Get).ToList()) };
            }
            catch (ArgumentException e)
            {
                throw new CliError(e.Message);
            }
            if (isQuick)
            {
                options = Quick(options, parse, binder);
            }
            var results = new TrainingProgressView(ctx).Run((training, messages) =>
                new ExperimentRunner(options) { TrainingProgress = training, Messages = messages }.Run());
            ctx.Result(results, () =>
            {
                var columns = ExperimentReport.MainColumns(options);
                ctx.Stdout.WriteLine(string.Join("  ", ["scenario".PadRight(22), "head".PadRight(10), .. columns.Select(c => c.Heading.PadLeft(12))]));
                foreach (var r in results.Results)
                {
                    foreach (var head in r.Metrics.Select(m => m.Head).Distinct())
                    {
                        ctx.Stdout.WriteLine(string.Join("  ", [r.Scenario.PadRight(22), head.PadRight(10), .. columns.Select(c => (r.Get(head, c.Metric) is { } v ? $"{v:P1}" : "—").PadLeft(12))]));
                    }
                }
                ctx.Stdout.WriteLine();
                ctx.Stdout.WriteLine($"report: {results.ReportPath}");
            });
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The quick preset, applied only where the user did not set a value explicitly.</summary>
    private static ExperimentOptions Quick(ExperimentOptions o, ParseResult parse, ExperimentOptionsBinder b)
    {
        bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
        return o with
        {
            TrainPerClass = Given(b.TrainPerClass) ? o.TrainPerClass : 100,
            TestPerClass = Given(b.TestPerClass) ? o.TestPerClass : 50,
            PgdPerClass = Given(b.PgdPerClass) ? o.PgdPerClass : 10,
            CorruptionPerClass = Given(b.CorruptionPerClass) ? o.CorruptionPerClass : 10,
            UmapPerClass = Given(b.UmapPerClass) ? o.UmapPerClass : 50,
            ValidationPerClass = Given(b.ValidationPerClass) ? o.ValidationPerClass : 20,
            Training = o.Training with { Epochs = Given(b.Epochs) ? o.Training.Epochs : 3 },
        };
    }
}
