using System.CommandLine;
using System.IO.Compression;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Persistence;
using MlNetRobust.Torch.Serialization;
using Spectre.Console;

namespace MlNetRobust.Cli.Commands;

/// <summary>
/// <c>mlnet-robust inspect FILE</c>: what a model zip or a PyTorch state-dict file holds — format version,
/// pipeline steps, classes, tensor names, shapes and dtypes. State dicts are read with the restricted
/// unpickler, so an unsafe file is refused (exit code 3) without running anything.
/// </summary>
public sealed class InspectCommand : ICliCommand
{
    public sealed record TensorInfo(string Name, string Dtype, long[] Shape);

    public sealed record StepInfo(int Index, string Kind, int Version, IReadOnlyList<TensorInfo> Tensors);

    public sealed record Inspection(string File, string Type, int? FormatVersion, string? ProductVersion, IReadOnlyList<string>? Classes,
        IReadOnlyList<StepInfo>? Steps, IReadOnlyList<TensorInfo>? Tensors);

    public Command Build(CliEnvironment environment)
    {
        var file = new Argument<FileInfo>("file") { Description = "A model zip (.zip) or a PyTorch state dict (.pt/.pth)" };
        var command = new Command("inspect", """
            Show what a model zip or a state-dict file holds, refusing unsafe files.

            Examples:
              mlnet-robust inspect out/run/model.zip
              mlnet-robust inspect resnet18.pt --json
            """);
        command.Arguments.Add(file);
        command.SetAction(parse =>
        {
            var ctx = environment.Context(parse);
            var path = parse.GetValue(file)!.FullName;
            var result = Inspect(path);
            ctx.Result(result, () => Render(ctx, result));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Inspection Inspect(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist", path);
        }
        if (IsModelZip(path))
        {
            var manifest = ModelZip.ReadManifest(path);
            using var zip = ZipFile.OpenRead(path);
            var steps = manifest.Steps.Select(s => new StepInfo(s.Index, s.Kind, s.Version,
                zip.Entries.Where(e => e.FullName.StartsWith(s.Folder + "/", StringComparison.Ordinal) && e.FullName.EndsWith(".pt", StringComparison.Ordinal))
                    .SelectMany(e => Tensors(e, path)).ToList())).ToList();
            return new Inspection(path, "model zip", manifest.FormatVersion, manifest.ProductVersion, manifest.Classes, steps, null);
        }
        return new Inspection(path, "state dict", null, null, null, null, StateDictFile.Load(path).Select(Describe).ToList());
    }

    private static bool IsModelZip(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return zip.GetEntry("manifest.json") is not null;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static IEnumerable<TensorInfo> Tensors(ZipArchiveEntry entry, string path)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        try
        {
            return StateDictFile.Load(copy).Select(kv => Describe(kv) with { Name = $"{Path.GetFileName(entry.FullName)}:{kv.Key}" }).ToList();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: entry '{entry.FullName}': {e.Message}", e);
        }
    }

    private static TensorInfo Describe(KeyValuePair<string, TensorRecord> kv) =>
        new(kv.Key, kv.Value.DType.ToString().ToLowerInvariant(), kv.Value.Shape);

    private static void Render(CliContext ctx, Inspection result)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(ctx.Stdout) });
        console.MarkupLine($"[bold]{Markup.Escape(result.File)}[/]: {result.Type}" +
            (result.FormatVersion is { } v ? $", format version {v}, written by MlNetRobust {Markup.Escape(result.ProductVersion ?? "?")}" : ""));
        if (result.Classes is { } classes)
        {
            console.MarkupLine($"classes: {Markup.Escape(string.Join(", ", classes))}");
        }
        foreach (var step in result.Steps ?? [])
        {
            console.MarkupLine($"step {step.Index}: [bold]{Markup.Escape(step.Kind)}[/] (layout v{step.Version}), {step.Tensors.Count} tensors");
        }
        var tensors = result.Tensors ?? result.Steps?.SelectMany(s => s.Tensors).ToList() ?? [];
        if (tensors.Count > 0)
        {
            var table = new Table().AddColumns("name", "dtype", "shape");
            foreach (var t in tensors)
            {
                table.AddRow(Markup.Escape(t.Name), t.Dtype, $"[[{string.Join(", ", t.Shape)}]]");
            }
            console.Write(table);
            console.MarkupLine($"{tensors.Count} tensors, {tensors.Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b)):N0} elements");
        }
    }
}
