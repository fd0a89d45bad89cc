using System.CommandLine;
using MlNetRobust.Cli.Commands;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Data;
using MlNetRobust.Torch;
using MlNetRobust.Torch.Serialization;

namespace MlNetRobust.Cli;

/// <summary>
/// The mlnet-robust command line: commands are built from small typed pieces (System.CommandLine), each
/// action returns an exit code, and every failure a user can fix becomes one line on stderr with a
/// documented exit code (see <see cref="ExitCodes"/>).
/// </summary>
public static class CliApp
{
    public static RootCommand Build(CliEnvironment environment)
    {
        var root = new RootCommand("""
            mlnet-robust: train and audit robust image classifiers (ResNet on libtorch, ML.NET-style pipelines).

            Examples:
              mlnet-robust experiment --quick --output out/quick
              mlnet-robust train --output runs/baseline
              mlnet-robust inspect model.zip
              mlnet-robust export model.zip --output weights/
              mlnet-robust sweep --scenario circle --output sweeps/circle
              mlnet-robust bench --output out/bench
            """);
        GlobalOptions.AddTo(root);
        foreach (var command in new ICliCommand[]
        {
            new DataCommand(), new TrainCommand(), new EvaluateCommand(), new AttackCommand(), new PredictCommand(), new ExperimentCommand(),
            new SweepCommand(), new ReportCommand(), new InspectCommand(), new ExportCommand(), new BenchCommand(), new VersionCommand(),
        })
        {
            root.Subcommands.Add(command.Build(environment));
        }
        return root;
    }

    /// <summary>Parses and runs; never throws for user errors.</summary>
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var parse = Build(new CliEnvironment(stdout, stderr)).Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line per problem, then a hint: the full help is one --help away.
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"error: {error.Message}");
            }
            var command = parse.CommandResult.Command;
            stderr.WriteLine($"Run 'mlnet-robust{(command is RootCommand ? "" : " " + command.Name)} --help' for usage.");
            return ExitCodes.UsageError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            var (code, message) = Classify(e);
            stderr.WriteLine($"error: {message}");
            return code;
        }
    }

    /// <summary>Maps exceptions to exit codes and single-line messages; only unexpected ones keep their type name.</summary>
    internal static (int Code, string Message) Classify(Exception e) => e switch
    {
        CliError c => (c.ExitCode, c.Message),
        OperationCanceledException => (ExitCodes.Cancelled, "cancelled"),
        UnsafePickleException u => (ExitCodes.DataError, $"refusing an unsafe file: {u.Message}"),
        FileNotFoundException or DirectoryNotFoundException or InvalidDataException or SchemaException or UnauthorizedAccessException
            => (ExitCodes.DataError, OneLine(e.Message)),
        Trainers.Training.TrainingDivergedException => (ExitCodes.TrainingError, e.Message),
        TorchException => (ExitCodes.InternalError, $"libtorch: {OneLine(e.Message)}"),
        _ => (ExitCodes.InternalError, $"{e.GetType().Name}: {OneLine(e.Message)}"),
    };

    private static string OneLine(string message) => message.ReplaceLineEndings("; ").Replace("; ; ", "; ", StringComparison.Ordinal);
}

/// <summary>A command of the tool: builds its System.CommandLine definition with its action.</summary>
public interface ICliCommand
{
    Command Build(CliEnvironment environment);
}

/// <summary>The writers a run uses (the process's, or a test's).</summary>
public sealed record CliEnvironment(TextWriter Stdout, TextWriter Stderr)
{
    public CliContext Context(ParseResult parse) => new(parse, Stdout, Stderr);
}
