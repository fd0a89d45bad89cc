using System.CommandLine;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Pipelines.Experiments;
using Spectre.Console;

namespace MlNetRobust.Cli.Commands;

/// <summary>
/// <c>mlnet-robust report FOLDER</c>: rebuilds the HTML report of a train or experiment output folder (and each
/// scenario's page) from the result files in it — after a change to the report, or in a folder copied from
/// another machine. Nothing is trained or evaluated.
/// </summary>
public sealed class ReportCommand : ICliCommand
{
    public sealed record ReportResult(string Folder, string Report);

    public Command Build(CliEnvironment environment)
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "An output folder of train or experiment (holding run.json and <scenario>/result.json)" };
        var command = new Command("report", """
            Rebuild the HTML report of a train or experiment output folder from its result files.

            Examples:
              mlnet-robust report out/quick
              mlnet-robust report runs/research --json
            """);
        var data = DataFolders.Option("--data", "The data folder, only needed for runs older than data.json (default: the one in run.json, else CIFAR-10)");
        command.Arguments.Add(folder);
        command.Options.Add(data);
        command.SetAction(parse =>
        {
            var ctx = environment.Context(parse);
            var root = parse.GetValue(folder)!.FullName;
            var report = ReportRebuilder.Rebuild(root, parse.GetValue(data)?.FullName, new Relay<string>(m => ctx.Say(Markup.Escape(m))));
            var result = new ReportResult(root, report);
            ctx.Result(result, () => ctx.Stdout.WriteLine(report));
            return ExitCodes.Success;
        });
        return command;
    }
}
