using System.CommandLine;
using System.Globalization;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Pipelines.Inference;
using Spectre.Console;

namespace MlNetRobust.Cli.Commands;

/// <summary>
/// <c>mlnet-robust predict MODEL FILE|FOLDER…</c>: the label and class scores of each image, from the model zip
/// alone. Folders are searched recursively for images; a missing file, or one that is not an image, stops the
/// command with exit code 3 naming it. Images are resized to 32x32 (CIFAR-10's size, the research's models)
/// unless --resize says otherwise.
/// </summary>
public sealed class PredictCommand : ICliCommand
{
    public sealed record TopScore(string Label, float Score);

    public sealed record Prediction(string File, string Label, float Score, IReadOnlyDictionary<string, float> Scores, IReadOnlyList<TopScore> Top, string Head);

    public Command Build(CliEnvironment environment)
    {
        var model = new Argument<FileInfo>("model") { Description = "A model zip written by train or experiment" };
        var inputs = new Argument<string[]>("images") { Description = "Image files and/or folders of images", Arity = ArgumentArity.OneOrMore };
        var top = new Option<int>("--top", "-k") { Description = "Classes to show per image, best first", DefaultValueFactory = _ => 3 };
        var resize = new Option<(int Width, int Height)?>("--resize")
        {
            Description = "Resize images to WxH before the model (images of that size pass untouched), or 'none' to keep their sizes",
            DefaultValueFactory = _ => (32, 32),
            CustomParser = r => ParseSize(r.Tokens.Count > 0 ? r.Tokens[^1].Value : "", r),
        };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per forward pass", DefaultValueFactory = _ => 256 };
        OptionRules.AtLeastOne(top);
        OptionRules.AtLeastOne(batchSize);
        var command = new Command("predict", """
            Classify image files with a model zip: label and scores per image.

            Examples:
              mlnet-robust predict runs/baseline/baseline-ce/model.zip cat.jpg dog.png
              mlnet-robust predict model.zip photos/ --top 5
              mlnet-robust predict model.zip photos/ --resize none --json > predictions.json
            """);
        command.Arguments.Add(model);
        command.Arguments.Add(inputs);
        command.Options.Add(top);
        command.Options.Add(resize);
        command.Options.Add(batchSize);
        command.SetAction(parse =>
        {
            var ctx = environment.Context(parse);
            var files = ImagePredictor.ListFiles(parse.GetValue(inputs)!);
            using var saved = SavedModel.Load(parse.GetValue(model)!.FullName);
            var robust = new RobustContext(ctx.Seed);
            var k = Math.Min(parse.GetValue(top), saved.Classes.Count);
            var predictions = new WorkProgress(ctx).Run(add =>
            {
                var task = add("predicting", files.Count);
                return ImagePredictor.Predict(robust, saved, files, parse.GetValue(resize), parse.GetValue(batchSize), new Relay<int>(n => task.Update(n)));
            });
            var result = predictions.Select(p => new Prediction(p.File, p.Label, p.Score, p.Scores,
                p.Scores.OrderByDescending(s => s.Value).Take(k).Select(s => new TopScore(s.Key, s.Value)).ToList(), p.Head)).ToList();
            ctx.Result(result, () => Render(ctx, result));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>"32x32" → (32, 32); "none" → null; anything else is an error naming --resize.</summary>
    internal static (int Width, int Height)? ParseSize(string text, System.CommandLine.Parsing.ArgumentResult result)
    {
        if (text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h) && w is > 0 and <= 8192 && h is > 0 and <= 8192)
        {
            return (w, h);
        }
        result.AddError($"--resize: '{text}' is not a size such as 32x32 (or 'none')");
        return null;
    }

    private static void Render(CliContext ctx, IReadOnlyList<Prediction> predictions)
    {
        var console = ResultConsole.Create(ctx);
        var table = new Table().AddColumns("file", "label").AddColumn(new TableColumn("score").RightAligned()).AddColumn("top classes");
        foreach (var p in predictions)
        {
            table.AddRow(Markup.Escape(p.File), Markup.Escape(p.Label), p.Score.ToString("P1", CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", p.Top.Select(t => $"{t.Label} {t.Score.ToString("P1", CultureInfo.InvariantCulture)}"))));
        }
        console.Write(table);
    }
}
