namespace MlNetRobust.Cli.Infrastructure;

/// <summary>An error the user can fix, shown as one line with its exit code (no stack trace).</summary>
public sealed class CliError(string message, int exitCode = ExitCodes.UsageError) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
