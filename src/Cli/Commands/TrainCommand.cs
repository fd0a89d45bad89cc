using System.CommandLine;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Pipelines.Experiments;
using MlNetRobust.Pipelines.Scenarios;

namespace MlNetRobust.Cli.Commands;

/// <summary>
/// <c>mlnet-robust train</c>: trains one scenario and evaluates it; writes the model zip, the PyTorch weights,
/// metrics and the run record, and prints a C# snippet that loads the model. Re-running the same command
/// resumes from the last epoch checkpoint.
/// </summary>
public sealed class TrainCommand : ICliCommand
{
    public Command Build(CliEnvironment environment)
    {
        var binder = new ExperimentOptionsBinder();
        var scenario = new Option<string>("--scenario", "-s")
        {
            Description = $"What to train: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}",
            DefaultValueFactory = _ => ScenarioCatalog.BaselineCrossEntropy.Name,
        };
        var command = new Command("train", """
            Train a ResNet18 scenario on CIFAR-10 (or any train/ + test/ class folders) and evaluate it.

            Examples:
              mlnet-robust train --output runs/baseline
              mlnet-robust train --scenario baseline-ce --epochs 15 --data ../shared/datasets/cifar10-jpg -o runs/baseline
              mlnet-robust train --train-per-class 100 --test-per-class 50 --epochs 2 -o runs/quick
            """);
        command.Options.Add(scenario);
        binder.AddTo(command);
        command.SetAction(parse =>
        {
            var ctx = environment.Context(parse);
            var options = binder.Bind(parse, ctx, [parse.GetValue(scenario)!]);
            var results = new TrainingProgressView(ctx).Run((training, messages) =>
                new ExperimentRunner(options) { TrainingProgress = training, Messages = messages }.Run());
            var result = results.Results[0];
            ctx.Result(result, () =>
            {
                foreach (var m in result.Metrics.Where(m => !m.Metric.StartsWith("corruption_", StringComparison.Ordinal) || m.Metric == "corruption_mean"))
                {
                    ctx.Stdout.WriteLine($"{m.Head,-10} {m.Metric,-14} {m.Value:P2}  ({m.Images} images)");
                }
                ctx.Stdout.WriteLine($"model: {result.ModelPath}");
                ctx.Stdout.WriteLine($"PyTorch weights: {result.WeightsPath}");
                ctx.Stdout.WriteLine();
                ctx.Stdout.WriteLine(Snippet(result.ModelPath));
            });
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Like mlnet, end with code that uses the model (a complete Program.cs; a test compiles and runs it).</summary>
    public static string Snippet(string modelPath) => $$"""
        // Load the model and classify one image (C#, references: the MlNetRobust assemblies):
        using MlNetRobust;
        using MlNetRobust.Transforms.Data;

        var ctx = new RobustContext(seed: 42);
        using var model = ctx.Model.Load(@"{{modelPath}}");
        using var images = ctx.Data.LoadFromImageFolder("my-images");      // <class>/<file>.jpg
        using var scored = model.Transform(images).GetRows([0]);
        Console.WriteLine(scored.GetKeyNames("PredictedLabel")[0]);    // e.g. "cat"
        """;
}
