using System.Diagnostics;
using System.Text.Json;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Transforms.Data;

namespace MlNetRobust.Cli.Tests;

/// <summary>
/// Drives <c>mlnet-robust sweep</c> as a process on real CIFAR-10 images (a width-8 ResNet, 10 images per class,
/// 1 epoch per trial): a run stopped by its trial budget, a run killed mid-sweep, and a rerun that finishes the sweep
/// without training any logged trial again.
/// </summary>
public sealed class SweepEndToEndTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlnr-sweep-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ProcessStartInfo Cli(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlnet-robust.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        return start;
    }

    private static (int Code, string Stdout, string Stderr) Run(IEnumerable<string> args)
    {
        using var process = Process.Start(Cli(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs until a stderr line contains <paramref name="marker"/>, then kills the process (as Ctrl+C or a crash would stop it).</summary>
    private static string RunUntil(IEnumerable<string> args, string marker)
    {
        using var process = Process.Start(Cli(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var seen = new List<string>();
        while (process.StandardError.ReadLine() is { } line)
        {
            seen.Add(line);
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                process.Kill(entireProcessTree: true);
                break;
            }
        }
        process.WaitForExit();
        _ = stdout.Result;
        return string.Join('\n', seen);
    }

    private static int LoggedTrials(string output) => File.ReadAllLines(Path.Combine(output, "trials.jsonl")).Count(l => l.StartsWith("{\"trial\"", StringComparison.Ordinal));

    [Fact]
    public void A_sweep_stopped_by_its_budget_or_killed_resumes_without_training_finished_trials_again()
    {
        var data = Cifar10.Locate();
        Assert.True(data is not null, "the CIFAR-10 copy (../shared/datasets/cifar10-jpg) is needed for the end-to-end tests");
        var output = Path.Combine(_dir, "sweep");
        string[] sweep = ["sweep", "--data", data!, "--output", output, "--scenario", "angular", "--param", "alpha=40,45,50", "--strategy", "grid",
            "--epochs", "1", "--width", "8", "--train-per-class", "10", "--validation-per-class", "5", "--threads", "2"];

        // 1. The trial budget stops the sweep after one trial.
        var (code, stdout, stderr) = Run([.. sweep, "--trials", "1", "--json"]);
        Assert.True(code == ExitCodes.Success, $"sweep failed ({code}): {stderr}");
        var first = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("trial_budget", first.GetProperty("stop_reason").GetString());
        Assert.Equal(1, first.GetProperty("new_trials").GetInt32());
        Assert.Equal("alpha=40", first.GetProperty("best").GetProperty("key").GetString());
        Assert.Contains("trial 1 (alpha=40, 1 epoch): training", stderr);
        Assert.Equal(1, LoggedTrials(output));

        // 2. Without a budget it goes on from trial 2; killed once trial 2 is logged.
        var killed = RunUntil(sweep, "trial 2 (alpha=45, 1 epoch): score");
        Assert.Contains("trial 1 (alpha=40, 1 epoch): in the log, not trained again", killed);
        Assert.DoesNotContain("trial 1 (alpha=40, 1 epoch): training", killed);
        var logged = LoggedTrials(output);
        Assert.InRange(logged, 2, 3);

        // 3. The rerun trains only what the log lacks and reports the whole table.
        (code, stdout, stderr) = Run(sweep);
        Assert.True(code == ExitCodes.Success, $"resumed sweep failed ({code}): {stderr}");
        Assert.Equal(3 - logged, stderr.Split('\n').Count(l => l.EndsWith("): training", StringComparison.Ordinal)));
        Assert.Equal(logged, stderr.Split('\n').Count(l => l.Contains("in the log, not trained again", StringComparison.Ordinal)));
        Assert.Contains($"completed; {3 - logged} trial(s) trained now, {logged} found in the log", stdout);
        Assert.Matches(@"│ trial │ alpha │ epochs │ score\s+│ accuracy │ fgsm_8/255 │", stdout);
        Assert.Equal(3, LoggedTrials(output));
        var csv = File.ReadAllLines(Path.Combine(output, "trials.csv"));
        Assert.Equal("trial,status,epochs,alpha,score,accuracy,fgsm_8/255,seconds", csv[0]);
        Assert.Equal(["1,ok,1,40", "2,ok,1,45", "3,ok,1,50"], csv.Skip(1).Select(l => string.Join(',', l.Split(',').Take(4))));
        var best = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "best.json"))).RootElement;
        Assert.Equal("angular", best.GetProperty("sweep").GetProperty("scenario").GetString());
        Assert.Contains($"best: trial {best.GetProperty("trial").GetProperty("id").GetInt32()}: alpha=", stdout);
    }
}
