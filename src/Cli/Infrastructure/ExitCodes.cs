namespace MlNetRobust.Cli.Infrastructure;

/// <summary>Process exit codes, documented in the README: scripts can tell a usage mistake from bad data.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>An unexpected failure (a bug, or libtorch failing).</summary>
    public const int InternalError = 1;

    /// <summary>Bad command line: unknown command, bad or missing option value.</summary>
    public const int UsageError = 2;

    /// <summary>Bad input: a missing, corrupt or unsafe file, data that does not fit the pipeline.</summary>
    public const int DataError = 3;

    /// <summary>Training failed (e.g. the loss diverged).</summary>
    public const int TrainingError = 4;

    /// <summary>Interrupted (Ctrl+C); checkpoints let the same command resume.</summary>
    public const int Cancelled = 130;
}
