using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlNetRobust.Bench;

/// <summary>
/// Runs bench/pytorch_bench.py — the same work done by PyTorch and torchvision (Debian: <c>sudo apt-get install
/// python3-torch python3-torchvision</c>) — in a child process on the same machine with the same thread count and
/// sizes, and returns its JSON (<c>environment</c>, <c>benchmarks</c>). The product never needs Python: without an
/// interpreter that imports torch the comparison is skipped and says why.
/// </summary>
public static class PyTorchBench
{
    /// <summary>The script, copied next to these assemblies at build time.</summary>
    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "pytorch_bench.py");

    /// <summary>
    /// The interpreter to compare with when none is named: <c>MLNR_PYTHON</c> if set, else Debian's /usr/bin/python3
    /// (where python3-torch lives even when a venv's python3 comes first on PATH), else python3 on PATH. Returns the
    /// first that imports torch and torchvision, or the first candidate and why none could.
    /// </summary>
    public static (string Interpreter, string? Problem) Detect()
    {
        string[] candidates = Environment.GetEnvironmentVariable("MLNR_PYTHON") is { Length: > 0 } configured
            ? [configured]
            : ["/usr/bin/python3", "python3"];
        string? first = null;
        foreach (var candidate in candidates)
        {
            var problem = Probe(candidate);
            if (problem is null)
            {
                return (candidate, null);
            }
            first ??= problem;
        }
        return (candidates[0], first);
    }

    /// <summary>Null when <paramref name="interpreter"/> imports torch and torchvision, else why not (one line).</summary>
    public static string? Probe(string interpreter)
    {
        try
        {
            var (code, _, error) = Execute(interpreter, ["-c", "import torch, torchvision"], TimeSpan.FromMinutes(2), null);
            return code == 0 ? null : $"`{interpreter} -c 'import torch, torchvision'` failed: {LastLine(error)}";
        }
        catch (Win32Exception e)
        {
            return $"{interpreter} could not be started: {e.Message}";
        }
    }

    /// <summary>
    /// Runs the script for <paramref name="names"/> with <paramref name="settings"/> (its sizes, thread count, steps
    /// and the data-loading file list travel in a JSON config file in the work folder). Standard error lines (its
    /// progress) go to <paramref name="onProgress"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The script failed or printed something that is not its JSON.</exception>
    public static JsonObject Run(string interpreter, IReadOnlyList<string> names, BenchmarkSettings settings, Action<string>? onProgress = null)
    {
        var (files, filesProblem) = names.Any(n => n.StartsWith("data_loading", StringComparison.Ordinal)) ? DataLoadingBench.Files(settings) : (null, null);
        var config = new JsonObject
        {
            ["threads"] = settings.Threads,
            ["steps"] = settings.Steps,
            ["warm_up"] = settings.WarmUp,
            ["quick"] = settings.Quick,
            ["only"] = new JsonArray(names.Select(n => (JsonNode?)n).ToArray()),
            ["work_folder"] = settings.WorkFolder,
            ["files"] = files is null ? null : new JsonArray(files.Select(f => (JsonNode?)f).ToArray()),
            ["files_problem"] = filesProblem,
            ["sizes"] = JsonSerializer.SerializeToNode(settings.Sizes, SnakeCase),
        };
        Directory.CreateDirectory(settings.WorkFolder);
        var configPath = Path.Combine(settings.WorkFolder, "pytorch_config.json");
        File.WriteAllText(configPath, config.ToJsonString());
        var environment = settings.PyTorchTunedMalloc ? BenchmarkSettings.TunedMallocEnvironment() : null;
        var (code, output, error) = Execute(interpreter, ["-u", ScriptPath, "--config", configPath], Timeout.InfiniteTimeSpan, onProgress, environment);
        if (code != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(ScriptPath)} exited with code {code}: {LastLine(error)}");
        }
        try
        {
            return JsonNode.Parse(output) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{Path.GetFileName(ScriptPath)} printed no JSON result ({e.Message})", e);
        }
    }

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no message)";

    private static (int Code, string Output, string Error) Execute(string interpreter, IEnumerable<string> args, TimeSpan timeout, Action<string>? onError,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // A neutral working directory: Python puts it first on sys.path, where a stray torch.py could shadow torch.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = new Process { StartInfo = start };
        var error = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (error)
                {
                    error.AppendLine(line);
                }
                onError?.Invoke(line);
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{interpreter} did not finish within {timeout}");
        }
        process.WaitForExit(); // drains the asynchronous stderr reader
        lock (error)
        {
            return (process.ExitCode, output.GetAwaiter().GetResult(), error.ToString());
        }
    }
}
