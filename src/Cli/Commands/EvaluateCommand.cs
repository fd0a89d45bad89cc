using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Data;
using MlNetRobust.Pipelines.Inference;
using MlNetRobust.Trainers.Evaluation;
using MlNetRobust.Transforms.Attacks;
using Spectre.Console;

namespace MlNetRobust.Cli.Commands;

/// <summary>
/// <c>mlnet-robust evaluate MODEL</c>: scores a model zip on its own — no run folder, no training data — on a
/// labelled folder (CIFAR-10's test set by default) with each head the model has: accuracy, macro-F1 and the
/// classification report, optionally on the perturbed set and under attacks. A classifier's zip has no KNN head;
/// <c>--knn-data</c> fits one on the embeddings of training images.
/// </summary>
public sealed class EvaluateCommand : ICliCommand
{
    public sealed record HeadReport(string Head, double Accuracy, double MacroF1, IReadOnlyList<ClassMetrics> PerClass);

    public sealed record EvaluationResult(string Model, string Data, int Images, IReadOnlyList<string> Classes, IReadOnlyList<SetMetrics> Metrics,
        IReadOnlyList<HeadReport> Clean, IReadOnlyList<string>? Files);

    public Command Build(CliEnvironment environment)
    {
        var model = new Argument<FileInfo>("model") { Description = "A model zip written by train or experiment" };
        var data = DataFolders.Option("--data", "Labelled test images: one sub-folder per class, or a root with test/ (default: CIFAR-10's test set)");
        var perClass = new Option<int?>("--test-per-class") { Description = "Evaluate on this many images per class (seeded choice; default: all)" };
        var attacks = new Option<IReadOnlyList<AttackOptions>>("--attacks")
        {
            Description = "Attacks to evaluate under, name[:eps[:steps]] separated by commas: fgsm, pgd, pgd-l2 (e.g. fgsm:8/255,pgd:8/255:10)",
            CustomParser = r =>
            {
                var parsed = AttackArguments.ParseList(r.Tokens.Select(t => t.Value), "--attacks", out var error);
                if (error is not null)
                {
                    r.AddError(error);
                }
                return parsed;
            },
            AllowMultipleArgumentsPerToken = true,
        };
        var perturbed = new Option<bool>("--perturbed") { Description = "Also evaluate on perturbed images (noise, jitter, flip, rotation, each p = 0.3)" };
        var knnData = DataFolders.Option("--knn-data", "Fit a KNN head (k = 3, cosine) on the embeddings of these training images when the model has none (a root's train/ is used)");
        var knnPerClass = new Option<int>("--knn-per-class") { Description = "Training images per class for --knn-data", DefaultValueFactory = _ => 200 };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per forward pass", DefaultValueFactory = _ => 256 };
        var output = new Option<DirectoryInfo?>("--output", "-o") { Description = "Write evaluation.json, metrics-<head>.json and report-<head>.txt here" };
        OptionRules.AtLeastOne(perClass);
        OptionRules.AtLeastOne(knnPerClass);
        OptionRules.AtLeastOne(batchSize);
        var command = new Command("evaluate", """
            Evaluate a model zip on labelled images: accuracy, macro-F1 and the classification report per head.

            Examples:
              mlnet-robust evaluate runs/baseline/baseline-ce/model.zip
              mlnet-robust evaluate model.zip --data my-test-images/ --attacks fgsm:8/255,pgd:8/255 --perturbed -o eval/
              mlnet-robust evaluate model.zip --test-per-class 100 --knn-data ../shared/datasets/cifar10-jpg --json
            """);
        command.Arguments.Add(model);
        foreach (var o in new Option[] { data, perClass, attacks, perturbed, knnData, knnPerClass, batchSize, output })
        {
            command.Options.Add(o);
        }
        command.SetAction(parse =>
        {
            var ctx = environment.Context(parse);
            var robust = new RobustContext(ctx.Seed);
            using var saved = SavedModel.Load(parse.GetValue(model)!.FullName);
            var folder = DataFolders.Resolve(parse.GetValue(data), "test");
            using var images = robust.Data.LoadFromImageFolder(folder);
            IDataView labelled = saved.AlignLabels(images, folder);
            if (parse.GetValue(perClass) is { } n)
            {
                labelled = robust.Data.TakeStratified(labelled, n, ctx.Seed);
            }
            var files = new List<string>();
            var (evaluation, _) = new WorkProgress(ctx).Run(add =>
            {
                if (saved.Knn is null && parse.GetValue(knnData) is { } knnFolder)
                {
                    FitKnn(robust, saved, DataFolders.Resolve(knnFolder, "train"), parse.GetValue(knnPerClass), ctx.Seed, add);
                }
                var tasks = new Dictionary<string, IWorkTask>();
                return new ModelEvaluator(robust, saved, new ModelEvaluationOptions
                {
                    Attacks = parse.GetValue(attacks) ?? [],
                    Perturbed = parse.GetValue(perturbed),
                    BatchSize = parse.GetValue(batchSize),
                    Seed = ctx.Seed,
                })
                {
                    Progress = new Relay<EvaluationProgress>(p =>
                    {
                        if (!tasks.TryGetValue(p.Set, out var task))
                        {
                            task = tasks[p.Set] = add($"evaluating {p.Set}", p.Total);
                        }
                        task.Update(p.Done, p.Done > 0 ? $"accuracy {p.Accuracy:P1}" : null);
                    }),
                }.Evaluate(labelled);
            });
            if (parse.GetValue(output) is { } outputFolder)
            {
                files.AddRange(Write(evaluation, outputFolder.FullName));
            }
            var result = new EvaluationResult(saved.Path, folder, (int)labelled.RowCount, saved.Classes, evaluation.Metrics,
                evaluation.Reports["clean"].Select(h => new HeadReport(h.Key, h.Value.Accuracy, h.Value.MacroF1, h.Value.PerClass)).ToList(),
                files.Count > 0 ? files : null);
            ctx.Result(result, () => Render(ctx, result, evaluation));
            return ExitCodes.Success;
        });
        return command;
    }

    private static void FitKnn(RobustContext robust, SavedModel saved, string folder, int perClass, int seed, WorkProgress.AddTask add)
    {
        using var train = robust.Data.LoadFromImageFolder(folder);
        var subset = robust.Data.TakeStratified(saved.AlignLabels(train, folder), perClass, seed);
        var task = add($"fitting the KNN head on {subset.RowCount:N0} training images", 1);
        saved.FitKnn(robust, saved.Prepare(subset));
        task.Update(1);
    }

    private static IEnumerable<string> Write(ModelEvaluation evaluation, string folder)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        void Save(string name, string text)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path + ".tmp", text);
            File.Move(path + ".tmp", path, overwrite: true);
            written.Add(path);
        }
        foreach (var (head, metrics) in evaluation.Reports["clean"])
        {
            Save($"metrics-{head}.json", metrics.ToJson());
            Save($"report-{head}.txt", metrics.Report + Environment.NewLine + metrics.ConfusionMatrix);
        }
        Save("evaluation.json", JsonSerializer.Serialize(new { evaluation.Model, evaluation.Classes, evaluation.Metrics }, CliContext.Json));
        return written;
    }

    private static void Render(CliContext ctx, EvaluationResult result, ModelEvaluation evaluation)
    {
        var console = ResultConsole.Create(ctx);
        console.MarkupLine($"[bold]{Markup.Escape(result.Model)}[/] on {result.Images:N0} images from {Markup.Escape(result.Data)}");
        var table = new Table().AddColumns("set", "head").AddColumn(new TableColumn("images").RightAligned())
            .AddColumn(new TableColumn("accuracy").RightAligned()).AddColumn(new TableColumn("macro-F1").RightAligned());
        foreach (var m in result.Metrics)
        {
            table.AddRow(Markup.Escape(m.Set), m.Head, m.Images.ToString("N0", CultureInfo.InvariantCulture),
                m.Accuracy.ToString("P2", CultureInfo.InvariantCulture), m.MacroF1.ToString("0.0000", CultureInfo.InvariantCulture));
        }
        console.Write(table);
        foreach (var (head, metrics) in evaluation.Reports["clean"])
        {
            console.WriteLine();
            console.MarkupLine($"[bold]classification report — {head}, clean[/]");
            console.WriteLine(metrics.Report.ToString());
        }
        foreach (var f in result.Files ?? [])
        {
            console.MarkupLine($"wrote {Markup.Escape(f)}");
        }
    }
}
