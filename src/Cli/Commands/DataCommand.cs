using System.CommandLine;
using System.Globalization;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Transforms.Data;
using MlNetRobust.Transforms.Splits;
using Spectre.Console;

namespace MlNetRobust.Cli.Commands;

/// <summary>
/// <c>mlnet-robust data FOLDER</c>: what an image set holds before training on it — images per class, the modes
/// and sizes the files were stored in, every file left out and why — then the stratified split the trainers
/// would use, per class. FOLDER is one sub-folder per class, or a root with train/ and test/ (CIFAR-10's layout),
/// in which case both sides are described and train/ is split.
/// </summary>
public sealed class DataCommand : ICliCommand
{
    public sealed record SplitSummary(string Set, double TrainFraction, int Seed, IReadOnlyList<SplitTableRow> Classes, SplitTableRow Totals);

    public sealed record DataReport(string Folder, string Layout, IReadOnlyList<ImageSetSurvey> Sets, SplitSummary Split);

    public Command Build(CliEnvironment environment)
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "Images in one sub-folder per class, or a root with train/ and test/" };
        var trainFraction = new Option<double>("--train-fraction")
        {
            Description = "Stratified share of the images (of train/ for a root) that goes to training",
            DefaultValueFactory = _ => 0.2,
        };
        trainFraction.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is <= 0 or >= 1)
            {
                r.AddError("--train-fraction must be between 0 and 1 (exclusive)");
            }
        });
        var command = new Command("data", """
            Describe an image set (counts per class, file modes, sizes, bad files) and show its stratified split.

            Examples:
              mlnet-robust data ../shared/datasets/cifar10-jpg
              mlnet-robust data my-images/ --train-fraction 0.5 --seed 7
              mlnet-robust data my-images/ --json > data.json
            """);
        command.Arguments.Add(folder);
        command.Options.Add(trainFraction);
        command.SetAction(parse =>
        {
            var ctx = environment.Context(parse);
            var root = parse.GetValue(folder)!.FullName;
            var fraction = parse.GetValue(trainFraction);
            var report = Describe(ctx, root, fraction);
            ctx.Result(report, () => Render(ctx, report));
            return ExitCodes.Success;
        });
        return command;
    }

    private static DataReport Describe(CliContext ctx, string root, double fraction)
    {
        var isRoot = DataFolders.IsSplitRoot(root);
        var sides = isRoot ? new[] { "train", "test" } : [""];
        var robust = new RobustContext(ctx.Seed);
        var surveys = new List<ImageSetSurvey>();
        SplitSummary? split = null;
        foreach (var side in sides)
        {
            var path = side.Length == 0 ? root : Path.Combine(root, side);
            // skipInvalid decodes every file once and lists the bad ones instead of failing on them.
            ctx.Say($"[grey]checking every image in {Markup.Escape(path)}…[/]");
            using var view = robust.Data.LoadFromImageFolder(path, skipInvalid: true);
            var survey = new WorkProgress(ctx).Run(add =>
            {
                var task = add($"reading {(side.Length == 0 ? Path.GetFileName(root) : side)}", view.RowCount);
                return ImageSetSurvey.Of(view, new Relay<long>(n => task.Update(n)));
            });
            surveys.Add(survey);
            if (side is "" or "train")
            {
                if (view.RowCount == 0)
                {
                    throw new CliError($"'{path}' has no readable images to split ({survey.Skipped.Count} file(s) left out)", ExitCodes.DataError);
                }
                var table = robust.Data.StratifiedSplit(view, fraction, ctx.Seed).Table;
                split = new SplitSummary(side.Length == 0 ? Path.GetFileName(root) : side, fraction, ctx.Seed, table.Classes, table.Totals);
            }
        }
        return new DataReport(root, isRoot ? "train/ and test/ class folders" : "class folders", surveys, split!);
    }

    private static void Render(CliContext ctx, DataReport report)
    {
        var console = ResultConsole.Create(ctx);
        console.MarkupLine($"[bold]{Markup.Escape(report.Folder)}[/]: {Markup.Escape(report.Layout)}");
        foreach (var set in report.Sets)
        {
            console.WriteLine();
            console.MarkupLine($"[bold]{Markup.Escape(set.Folder)}[/]: {set.Images:N0} images in {set.Classes.Count} classes, {set.Skipped.Count} file(s) left out");
            var classes = new Table().AddColumn("class").AddColumn(new TableColumn("images").RightAligned());
            foreach (var c in set.Classes)
            {
                classes.AddRow(Markup.Escape(c.Name), c.Images.ToString("N0", CultureInfo.InvariantCulture));
            }
            var modes = new Table().AddColumn("mode").AddColumn(new TableColumn("images").RightAligned());
            foreach (var m in set.Modes)
            {
                modes.AddRow(Markup.Escape(m.Value), m.Images.ToString("N0", CultureInfo.InvariantCulture));
            }
            var sizes = new Table().AddColumn("size").AddColumn(new TableColumn("images").RightAligned());
            foreach (var s in set.Sizes.Take(10))
            {
                sizes.AddRow(s.Value, s.Images.ToString("N0", CultureInfo.InvariantCulture));
            }
            if (set.Sizes.Count > 10)
            {
                sizes.AddRow($"… {set.Sizes.Count - 10} more", "");
            }
            console.Write(new Columns(classes, modes, sizes) { Expand = false });
            foreach (var skipped in set.Skipped.Take(20))
            {
                console.MarkupLine($"[yellow]left out[/] {Markup.Escape(skipped.Path)}: {Markup.Escape(skipped.Reason)}");
            }
            if (set.Skipped.Count > 20)
            {
                console.MarkupLine($"[yellow]… and {set.Skipped.Count - 20} more left out (--json lists them all)[/]");
            }
        }
        console.WriteLine();
        var split = report.Split;
        console.MarkupLine($"[bold]Stratified split of {Markup.Escape(split.Set)}[/] (train fraction {split.TrainFraction.ToString(CultureInfo.InvariantCulture)}, seed {split.Seed})");
        var table = new Table().AddColumn("class");
        foreach (var heading in new[] { "train", "test", "total", "train %", "test %" })
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }
        foreach (var row in split.Classes.Append(split.Totals))
        {
            var cells = new[] { row.Tag, N(row.Train), N(row.Test), N(row.Total), P(row.TrainPercent), P(row.TestPercent) };
            table.AddRow(row == split.Totals ? cells.Select(c => $"[bold]{Markup.Escape(c)}[/]").ToArray() : cells.Select(Markup.Escape).ToArray());
        }
        console.Write(table);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string P(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
