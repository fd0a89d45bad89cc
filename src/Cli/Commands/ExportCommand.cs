using System.CommandLine;
using System.IO.Compression;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Persistence;

namespace MlNetRobust.Cli.Commands;

/// <summary>
/// <c>mlnet-robust export MODEL --output DIR</c>: writes every state dict stored in a model zip as a
/// standalone PyTorch file (<c>NNN-kind-name.pt</c>), loadable with <c>torch.load(path, weights_only=True)</c>;
/// the ResNet weights use torchvision's parameter names.
/// </summary>
public sealed class ExportCommand : ICliCommand
{
    public sealed record Exported(string Model, IReadOnlyList<string> Files);

    public Command Build(CliEnvironment environment)
    {
        var model = new Argument<FileInfo>("model") { Description = "A model zip written by train" };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Folder for the .pt files", Required = true };
        var command = new Command("export", """
            Export the weights in a model zip as PyTorch state-dict files.

            Examples:
              mlnet-robust export out/run/model.zip --output weights/
              python3 -c "import torch, torchvision; m = torchvision.models.resnet18(num_classes=10); m.load_state_dict(torch.load('weights/002-ResNetImageModel-weights.pt'))"
            """);
        command.Arguments.Add(model);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var ctx = environment.Context(parse);
            var result = Export(parse.GetValue(model)!.FullName, parse.GetValue(output)!.FullName);
            ctx.Result(result, () =>
            {
                foreach (var f in result.Files)
                {
                    ctx.Stdout.WriteLine(f);
                }
            });
            return ExitCodes.Success;
        });
        return command;
    }

    public static Exported Export(string modelPath, string folder)
    {
        var manifest = ModelZip.ReadManifest(modelPath);
        Directory.CreateDirectory(folder);
        using var zip = ZipFile.OpenRead(modelPath);
        var written = new List<string>();
        foreach (var step in manifest.Steps)
        {
            foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith(step.Folder + "/", StringComparison.Ordinal) && e.FullName.EndsWith(".pt", StringComparison.Ordinal)))
            {
                // The file name is built from the manifest's index and kind and the entry's own name, never from a path in the zip.
                var name = $"{step.Index:D3}-{Sanitize(step.Kind)}-{Sanitize(Path.GetFileName(entry.FullName))}";
                var target = Path.Combine(folder, name);
                var temp = target + ".tmp";
                entry.ExtractToFile(temp, overwrite: true);
                File.Move(temp, target, overwrite: true);
                written.Add(target);
            }
        }
        if (written.Count == 0)
        {
            throw new CliError($"{modelPath} holds no weights to export", ExitCodes.DataError);
        }
        return new Exported(modelPath, written);
    }

    private static string Sanitize(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
}
