using System.ComponentModel;
using System.Diagnostics;

namespace MlNetRobust.TestSupport;

/// <summary>Runs Python scripts against a real PyTorch, for tests that check compatibility with it.</summary>
/// <remarks>
/// The interpreter is the one named by <c>MLNR_PYTHON</c>; otherwise <c>python3</c>, or failing that
/// <c>/usr/bin/python3</c>, where Debian's python3-torch (which the Makefile installs) lives even when
/// a pyenv or venv <c>python3</c> comes first on PATH. Tests marked <see cref="PyTorchFactAttribute"/>
/// are skipped when no interpreter can <c>import torch</c>, unless <c>MLNR_REQUIRE_PYTORCH</c> is set
/// (to anything): then they run and fail, so a CI job that installs PyTorch cannot pass by silently
/// skipping them.
/// </remarks>
public static class PythonTorch
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);
    private static readonly Lazy<(string Interpreter, string? Problem)> s_probe = new(Probe);

    /// <summary>The interpreter that imports torch, or the first candidate if none does.</summary>
    public static string Interpreter => s_probe.Value.Interpreter;

    public static bool IsRequired { get; } =
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MLNR_REQUIRE_PYTORCH"));

    /// <summary>Whether an interpreter can import torch (probed once per test run).</summary>
    public static bool IsAvailable => Problem is null;

    /// <summary>Why PyTorch is unavailable, or null.</summary>
    public static string? Problem => s_probe.Value.Problem;

    /// <summary>Runs <c>python -c script args…</c> and returns its standard output.</summary>
    /// <exception cref="InvalidOperationException">PyTorch is unavailable, or the script failed
    /// (the message carries its standard error).</exception>
    public static string Run(string script, params string[] args)
    {
        if (Problem is { } problem)
        {
            throw new InvalidOperationException($"this test needs PyTorch, but {problem}");
        }

        var (exitCode, output, error) = Execute(Interpreter, script, args);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException($"{Interpreter} exited with code {exitCode}; its standard error:\n{error}");
    }

    private static (string Interpreter, string? Problem) Probe()
    {
        string[] candidates = Environment.GetEnvironmentVariable("MLNR_PYTHON") is { Length: > 0 } configured
            ? [configured]
            : ["python3", "/usr/bin/python3"];
        string? firstProblem = null;
        foreach (var candidate in candidates)
        {
            var problem = ImportTorch(candidate);
            if (problem is null)
            {
                return (candidate, null);
            }

            firstProblem ??= problem;
        }

        return (candidates[0], firstProblem);
    }

    private static string? ImportTorch(string interpreter)
    {
        try
        {
            var (exitCode, _, error) = Execute(interpreter, "import torch", []);
            // The last line of the traceback says why (e.g. ModuleNotFoundError: No module named 'torch').
            return exitCode == 0 ? null : $"`{interpreter} -c 'import torch'` failed: {error.Trim().Split('\n')[^1]}";
        }
        catch (Win32Exception e)
        {
            return $"{interpreter} could not be started: {e.Message}";
        }
    }

    private static (int ExitCode, string Output, string Error) Execute(string interpreter, string script, string[] args)
    {
        var start = new ProcessStartInfo(interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // `python -c` puts the working directory first on sys.path; a neutral one keeps files
            // that happen to be there (a types.py, say) from shadowing the standard library.
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"{interpreter} did not start");
        // Both pipes are drained concurrently so a chatty stderr cannot block the process.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{interpreter} did not finish within {s_timeout}");
        }

        return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }
}

/// <summary>A fact that needs PyTorch: skipped when <see cref="PythonTorch"/> cannot import torch,
/// unless <c>MLNR_REQUIRE_PYTORCH</c> is set, in which case it runs (and fails).</summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    public PyTorchFactAttribute()
    {
        if (!PythonTorch.IsAvailable && !PythonTorch.IsRequired)
        {
            Skip = $"needs PyTorch: {PythonTorch.Problem}. Set MLNR_PYTHON to an interpreter that has torch, " +
                "or MLNR_REQUIRE_PYTORCH=1 to fail instead of skipping.";
        }
    }
}
