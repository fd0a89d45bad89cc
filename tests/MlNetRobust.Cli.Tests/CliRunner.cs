namespace MlNetRobust.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output (end-to-end tests also run it as a process).</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The repository's test fixtures folder of the Torch tests (real PyTorch-written files).</summary>
    public static string TorchFixture(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MlNetRobust.sln")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "tests", "MlNetRobust.Torch.Tests", "Fixtures", name);
    }
}
