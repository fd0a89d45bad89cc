using System.CommandLine;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Pipelines.Experiments;
using MlNetRobust.Pipelines.Scenarios;
using MlNetRobust.Trainers.Training;

namespace MlNetRobust.Cli.Commands;

/// <summary>The options train and experiment share, and their mapping onto <see cref="ExperimentOptions"/>.</summary>
public sealed class ExperimentOptionsBinder
{
    public Option<DirectoryInfo?> Data { get; } = new("--data") { Description = "Folder with train/ and test/ class folders (default: ../shared/datasets/cifar10-jpg)" };
    public Option<DirectoryInfo> Output { get; } = new("--output", "-o") { Description = "Output folder (models, metrics, report)", Required = true };
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 15 };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Training batch size", DefaultValueFactory = _ => 128 };
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3 };
    public Option<string> Scheduler { get; } = new("--scheduler")
    {
        Description = "Learning-rate schedule: step (StepLR, the research's), cosine (annealed to 0 over all epochs) or onecycle (per batch)",
        DefaultValueFactory = _ => "step",
    };
    public Option<int> StepSize { get; } = new("--step-size") { Description = "StepLR: epochs between halvings of the learning rate", DefaultValueFactory = _ => 10 };
    public Option<double> TrainFraction { get; } = new("--train-fraction") { Description = "Stratified share of the training folder used for training", DefaultValueFactory = _ => 0.2 };
    public Option<int?> TrainPerClass { get; } = new("--train-per-class") { Description = "Cap on training images per class (quick runs)" };
    public Option<int?> TestPerClass { get; } = new("--test-per-class") { Description = "Test images per class (default: the whole test folder)" };
    public Option<int> PgdPerClass { get; } = new("--pgd-per-class") { Description = "Test images per class for PGD", DefaultValueFactory = _ => 100 };
    public Option<int> CorruptionPerClass { get; } = new("--corruption-per-class") { Description = "Test images per class for the corruption benchmark (0 skips it)", DefaultValueFactory = _ => 50 };
    public Option<int> UmapPerClass { get; } = new("--umap-per-class") { Description = "Training images per class in each model's UMAP map (0 skips the maps)", DefaultValueFactory = _ => 200 };
    public Option<int> ValidationPerClass { get; } = new("--validation-per-class") { Description = "Validation images per class (from the 80% pool)", DefaultValueFactory = _ => 100 };
    public Option<int> Width { get; } = new("--width") { Description = "ResNet base width (64 = standard ResNet18)", DefaultValueFactory = _ => 64 };

    public ExperimentOptionsBinder()
    {
        Positive(Epochs, "--epochs");
        Positive(BatchSize, "--batch-size");
        Positive(StepSize, "--step-size");
        Scheduler.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>();
            if (ParseScheduler(value) is null)
            {
                r.AddError($"--scheduler: unknown value '{value}'; use one of {string.Join(", ", s_schedulers.Keys)}");
            }
        });
        Positive(PgdPerClass, "--pgd-per-class");
        NotNegative(CorruptionPerClass, "--corruption-per-class");
        NotNegative(UmapPerClass, "--umap-per-class");
        Positive(ValidationPerClass, "--validation-per-class");
        Positive(Width, "--width");
        LearningRate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is <= 0 or > 10)
            {
                r.AddError("--lr must be in (0, 10]");
            }
        });
        TrainFraction.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is <= 0 or >= 1)
            {
                r.AddError("--train-fraction must be between 0 and 1 (exclusive)");
            }
        });
        Data.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<DirectoryInfo?>() is { Exists: false } d)
            {
                r.AddError($"--data: folder '{d.FullName}' does not exist");
            }
        });
    }

    private static readonly Dictionary<string, SchedulerKind> s_schedulers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["step"] = SchedulerKind.Step,
        ["cosine"] = SchedulerKind.Cosine,
        ["onecycle"] = SchedulerKind.OneCycle,
    };

    /// <summary>The schedule a --scheduler value names, or null.</summary>
    private static SchedulerKind? ParseScheduler(string? value) =>
        value is not null && s_schedulers.TryGetValue(value, out var kind) ? kind : null;

    /// <summary>The schedule --scheduler names (its validator has already rejected unknown values).</summary>
    public SchedulerKind GetScheduler(ParseResult parse) => ParseScheduler(parse.GetValue(Scheduler))!.Value;

    private static void NotNegative(Option<int> option, string name) => option.Validators.Add(r =>
    {
        if (r.GetValueOrDefault<int>() < 0)
        {
            r.AddError($"{name} must be 0 or more");
        }
    });

    private static void Positive(Option<int> option, string name) => option.Validators.Add(r =>
    {
        if (r.GetValueOrDefault<int>() < 1)
        {
            r.AddError($"{name} must be at least 1");
        }
    });

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Data, Output, Epochs, BatchSize, LearningRate, Scheduler, StepSize, TrainFraction, TrainPerClass, TestPerClass, PgdPerClass, CorruptionPerClass, UmapPerClass, ValidationPerClass, Width })
        {
            command.Options.Add(o);
        }
    }

    public ExperimentOptions Bind(ParseResult parse, CliContext ctx, IReadOnlyList<string> scenarios)
    {
        foreach (var s in scenarios)
        {
            try
            {
                ScenarioCatalog.Get(s);
            }
            catch (ArgumentException e)
            {
                throw new CliError(e.Message);
            }
        }
        return new ExperimentOptions
        {
            DataFolder = parse.GetValue(Data)?.FullName,
            OutputFolder = parse.GetValue(Output)!.FullName,
            Scenarios = scenarios,
            TrainFraction = parse.GetValue(TrainFraction),
            TrainPerClass = parse.GetValue(TrainPerClass),
            TestPerClass = parse.GetValue(TestPerClass),
            PgdPerClass = parse.GetValue(PgdPerClass),
            CorruptionPerClass = parse.GetValue(CorruptionPerClass),
            UmapPerClass = parse.GetValue(UmapPerClass),
            ValidationPerClass = parse.GetValue(ValidationPerClass),
            Training = new TrainingSettings
            {
                Epochs = parse.GetValue(Epochs),
                BatchSize = parse.GetValue(BatchSize),
                LearningRate = parse.GetValue(LearningRate),
                Scheduler = GetScheduler(parse),
                StepSize = parse.GetValue(StepSize),
                Width = parse.GetValue(Width),
                Seed = ctx.Seed,
            },
        };
    }
}
