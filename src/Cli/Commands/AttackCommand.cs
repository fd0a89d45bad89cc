using System.CommandLine;
using System.Globalization;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Pipelines.Inference;
using MlNetRobust.Transforms.Attacks;
using Spectre.Console;

namespace MlNetRobust.Cli.Commands;

/// <summary>
/// <c>mlnet-robust attack MODEL</c>: crafts white-box adversarial examples (FGSM or PGD, L∞ or L2) against a model
/// zip on labelled images, reports clean against adversarial accuracy per head and how many correctly classified
/// images the attack turned, and with --output saves the adversarial images (one file each, under their class)
/// and a clean/adversarial/difference grid.
/// </summary>
public sealed class AttackCommand : ICliCommand
{
    public sealed record AttackSettings(string Attack, double Eps, int? Steps, double? StepSize, string? Norm, bool? RandomStart);

    /// <summary>One head: accuracy before and after, and the share of clean-correct images the attack made wrong.</summary>
    public sealed record HeadOutcome(string Head, double CleanAccuracy, double AdversarialAccuracy, double SuccessRate);

    public sealed record AttackResult(string Model, string Data, string Set, AttackSettings Settings, int Images, IReadOnlyList<HeadOutcome> Heads,
        string? Grid, int? ImagesWritten, string? Output);

    public Command Build(CliEnvironment environment)
    {
        var model = new Argument<FileInfo>("model") { Description = "A model zip written by train or experiment" };
        var attack = new Option<string>("--attack", "-a") { Description = "fgsm or pgd", DefaultValueFactory = _ => "pgd" };
        attack.AcceptOnlyFromAmong("fgsm", "pgd");
        var eps = new Option<double>("--eps")
        {
            Description = "Attack strength in [0, 1] pixel space, as 8/255 or 0.031 (L2: the norm bound)",
            DefaultValueFactory = _ => Pgd.Defaults.Eps,
            CustomParser = r => AttackArguments.ParseEpsOption(r, "--eps"),
        };
        var steps = new Option<int>("--steps") { Description = "PGD iterations", DefaultValueFactory = _ => Pgd.Defaults.Steps };
        var stepSize = new Option<double?>("--step-size")
        {
            Description = "PGD step, as 2/255 or a decimal (default: eps/4)",
            CustomParser = r => AttackArguments.ParseEpsOption(r, "--step-size"),
        };
        var norm = new Option<string>("--norm") { Description = "PGD norm: linf or l2", DefaultValueFactory = _ => "linf" };
        norm.AcceptOnlyFromAmong("linf", "l2");
        var noRandomStart = new Option<bool>("--no-random-start") { Description = "PGD starts from the clean image instead of a random point in the ball" };
        var data = DataFolders.Option("--data", "Labelled images: one sub-folder per class, or a root with test/ (default: CIFAR-10's test set)");
        var perClass = new Option<int>("--per-class") { Description = "Images per class to attack (seeded choice)", DefaultValueFactory = _ => 10 };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per attack batch", DefaultValueFactory = _ => 128 };
        var output = new Option<DirectoryInfo?>("--output", "-o") { Description = "Save the adversarial images (<class>/<name>.png), grid.png and attack.json here" };
        var format = new Option<string>("--format") { Description = "Image files: png (exact) or jpeg (quality 95, loses part of the perturbation)", DefaultValueFactory = _ => "png" };
        format.AcceptOnlyFromAmong("png", "jpeg");
        OptionRules.AtLeastOne(steps);
        OptionRules.AtLeastOne(perClass);
        OptionRules.AtLeastOne(batchSize);
        var command = new Command("attack", """
            Attack a model zip with FGSM or PGD: clean vs adversarial accuracy, and the adversarial images.

            Examples:
              mlnet-robust attack runs/baseline/baseline-ce/model.zip --attack fgsm --eps 8/255
              mlnet-robust attack model.zip --attack pgd --eps 8/255 --steps 20 --step-size 2/255 -o adversarial/
              mlnet-robust attack model.zip --attack pgd --norm l2 --eps 0.5 --data my-images/ --per-class 5 --json
            """);
        command.Arguments.Add(model);
        foreach (var o in new Option[] { attack, eps, steps, stepSize, norm, noRandomStart, data, perClass, batchSize, output, format })
        {
            command.Options.Add(o);
        }
        command.SetAction(parse =>
        {
            var ctx = environment.Context(parse);
            var isPgd = parse.GetValue(attack) == "pgd";
            var strength = parse.GetValue(eps);
            if (isPgd && parse.GetValue(norm) == "l2" && parse.GetResult(eps) is null or { Implicit: true })
            {
                strength = Pgd.Defaults.L2Eps;
            }
            AttackOptions options = isPgd
                ? AttackOptions.Pgd(strength, parse.GetValue(stepSize) ?? strength / 4, parse.GetValue(steps), !parse.GetValue(noRandomStart),
                    parse.GetValue(norm) == "l2" ? AttackNorm.L2 : AttackNorm.Linf)
                : AttackOptions.Fgsm(strength);
            var settings = options is PgdOptions p
                ? new AttackSettings("pgd", p.Eps, p.Steps, p.StepSize, p.Norm.ToString().ToLowerInvariant(), p.RandomStart)
                : new AttackSettings("fgsm", strength, null, null, null, null);

            var robust = new RobustContext(ctx.Seed);
            using var saved = SavedModel.Load(parse.GetValue(model)!.FullName);
            var folder = DataFolders.Resolve(parse.GetValue(data), "test");
            using var images = robust.Data.LoadFromImageFolder(folder);
            var labelled = robust.Data.TakeStratified(saved.AlignLabels(images, folder), parse.GetValue(perClass), ctx.Seed);
            var outputFolder = parse.GetValue(output)?.FullName;
            var writer = outputFolder is null ? null
                : new AdversarialImages(Path.Combine(outputFolder, "adversarial"), saved.Classes, parse.GetValue(format) == "jpeg" ? SavedImageFormat.Jpeg : SavedImageFormat.Png);
            var set = ModelEvaluator.SetName(options);
            var (_, predictions) = new WorkProgress(ctx).Run(add =>
            {
                var tasks = new Dictionary<string, IWorkTask>();
                return new ModelEvaluator(robust, saved, new ModelEvaluationOptions { Attacks = [options], BatchSize = parse.GetValue(batchSize), Seed = ctx.Seed })
                {
                    Progress = new Relay<EvaluationProgress>(e =>
                    {
                        if (!tasks.TryGetValue(e.Set, out var task))
                        {
                            task = tasks[e.Set] = add(e.Set == "clean" ? "scoring clean images" : $"attacking ({e.Set})", e.Total);
                        }
                        task.Update(e.Done, e.Done > 0 ? $"accuracy {e.Accuracy:P1}" : null);
                    }),
                    InspectAttacked = writer is null ? null : (_, batch) => writer.Write(batch),
                }.Evaluate(labelled);
            });
            var clean = predictions["clean"];
            var adversarial = predictions[set];
            var heads = clean.Heads.Select(h => new HeadOutcome(h, clean.Accuracy(h), adversarial.Accuracy(h), SuccessRate(clean, adversarial, h))).ToList();
            string? grid = null;
            if (outputFolder is not null)
            {
                grid = Path.Combine(outputFolder, "grid.png");
                File.WriteAllBytes(grid + ".tmp", AdversarialImages.Grid(robust, saved, labelled, options, ctx.Seed));
                File.Move(grid + ".tmp", grid, overwrite: true);
            }
            var result = new AttackResult(saved.Path, folder, set, settings, clean.Count, heads, grid, writer?.Written.Count, outputFolder);
            if (outputFolder is not null)
            {
                var json = Path.Combine(outputFolder, "attack.json");
                File.WriteAllText(json + ".tmp", System.Text.Json.JsonSerializer.Serialize(result, CliContext.Json));
                File.Move(json + ".tmp", json, overwrite: true);
            }
            ctx.Result(result, () => Render(ctx, result));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Of the images a head classified right when clean, the share it gets wrong after the attack.</summary>
    private static double SuccessRate(HeadPredictions clean, HeadPredictions adversarial, string head)
    {
        var right = Enumerable.Range(0, clean.Count).Where(i => clean.Predicted(head)[i] == clean.Truth[i]).ToList();
        return right.Count == 0 ? 0 : right.Count(i => adversarial.Predicted(head)[i] != adversarial.Truth[i]) / (double)right.Count;
    }

    private static void Render(CliContext ctx, AttackResult result)
    {
        var console = ResultConsole.Create(ctx);
        console.MarkupLine($"[bold]{Markup.Escape(result.Set)}[/] against {Markup.Escape(result.Model)} on {result.Images:N0} images from {Markup.Escape(result.Data)}");
        var table = new Table().AddColumn("head");
        foreach (var heading in new[] { "clean accuracy", "adversarial accuracy", "attack success" })
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }
        foreach (var h in result.Heads)
        {
            table.AddRow(h.Head, P(h.CleanAccuracy), P(h.AdversarialAccuracy), P(h.SuccessRate));
        }
        console.Write(table);
        if (result.Output is not null)
        {
            console.MarkupLine($"wrote {result.ImagesWritten:N0} adversarial images under {Markup.Escape(Path.Combine(result.Output, "adversarial"))}, grid {Markup.Escape(result.Grid ?? "")}");
        }
    }

    private static string P(double value) => value.ToString("P2", CultureInfo.InvariantCulture);
}
