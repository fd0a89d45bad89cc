using System.Diagnostics;
using System.Text.Json;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Transforms.Data;

namespace MlNetRobust.Cli.Tests;

/// <summary>
/// Drives mlnet-robust as a separate process on a few hundred real CIFAR-10 images: train → inspect → export,
/// then a rerun that skips the finished scenario. Uses a narrow ResNet18 so it takes well under a minute.
/// </summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlnr-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Stdout, string Stderr) RunProcess(params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "mlnet-robust.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void Train_then_inspect_and_export_a_model_on_real_images()
    {
        var data = Cifar10.Locate();
        Assert.True(data is not null, "the CIFAR-10 copy (../shared/datasets/cifar10-jpg) is needed for the end-to-end tests");
        var output = Path.Combine(_dir, "run");
        string[] train = ["train", "--data", data!, "--output", output, "--epochs", "1", "--width", "8", "--train-per-class", "20",
            "--validation-per-class", "5", "--test-per-class", "10", "--pgd-per-class", "2", "--corruption-per-class", "1", "--umap-per-class", "5",
            "--threads", "2", "--json"];
        var (code, stdout, stderr) = RunProcess(train);
        Assert.True(code == ExitCodes.Success, $"train failed ({code}): {stderr}");
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("baseline-ce", result.GetProperty("scenario").GetString());
        var metrics = result.GetProperty("metrics").EnumerateArray()
            .Select(m => (Head: m.GetProperty("head").GetString(), Metric: m.GetProperty("metric").GetString())).ToList();
        foreach (var head in new[] { "classifier", "knn" })
        {
            var names = metrics.Where(m => m.Head == head).Select(m => m.Metric).ToList();
            Assert.Equal(["clean", "perturbed", "fgsm_8/255", "fgsm_0.01", "pgd10_8/255"], names.Take(5));
            Assert.Equal(13 * 5, names.Count(n => n!.StartsWith("corruption_", StringComparison.Ordinal) && n != "corruption_mean"));
            Assert.Contains("corruption_mean", names);
        }
        Assert.Contains("baseline-ce epoch 1:", stderr);
        foreach (var file in new[] { "run.json", "results.csv", "results.json", "baseline-ce/model.zip", "baseline-ce/weights.pt", "baseline-ce/result.json" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} missing");
        }

        var inspect = RunProcess("inspect", Path.Combine(output, "baseline-ce", "model.zip"), "--json");
        Assert.Equal(0, inspect.Code);
        var steps = JsonDocument.Parse(inspect.Stdout).RootElement.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["ConvertToRgb", "ExtractPixels", "ResNetImageModel"], steps);

        var export = RunProcess("export", Path.Combine(output, "baseline-ce", "model.zip"), "--output", Path.Combine(_dir, "weights"));
        Assert.Equal(0, export.Code);
        Assert.True(File.Exists(Path.Combine(_dir, "weights", "002-ResNetImageModel-weights.pt")), export.Stdout + export.Stderr);

        // A second run finds the finished scenario and skips it.
        var again = RunProcess(train);
        Assert.Equal(0, again.Code);
        Assert.Contains("already finished, skipping", again.Stderr);
    }

    [Fact]
    public void A_quick_experiment_compares_scenarios_and_writes_the_report()
    {
        var data = Cifar10.Locate();
        Assert.True(data is not null, "the CIFAR-10 copy (../shared/datasets/cifar10-jpg) is needed for the end-to-end tests");
        var output = Path.Combine(_dir, "experiment");
        var (code, stdout, stderr) = RunProcess("experiment", "--quick", "--data", data!, "--output", output, "--scenarios", "baseline-ce,angular",
            "--epochs", "1", "--width", "8", "--train-per-class", "10", "--test-per-class", "5", "--pgd-per-class", "2", "--corruption-per-class", "1",
            "--validation-per-class", "5", "--umap-per-class", "5", "--threads", "2");
        Assert.True(code == ExitCodes.Success, $"experiment failed ({code}): {stderr}");
        Assert.Contains("baseline-ce             classifier", stdout);
        Assert.Contains("angular                 knn", stdout);
        var report = File.ReadAllText(Path.Combine(output, "report", "report.html"));
        foreach (var section in new[] { "Comparison", "Training curves", "Embedding map — angular", "Confusion matrices", "Corruptions", "Data split", "Versions" })
        {
            Assert.Contains(section, report);
        }
        var csv = File.ReadAllLines(Path.Combine(output, "results.csv"));
        Assert.StartsWith("scenario,head,clean,perturbed,fgsm_8/255,fgsm_0.01,pgd10_8/255,", csv[0]);
        Assert.Equal(4, csv.Length); // header + baseline (classifier, knn) + angular (knn)
        Assert.True(File.Exists(Path.Combine(output, "angular", "umap.json")));
        Assert.True(File.Exists(Path.Combine(output, "angular", "samples.png")));
        Assert.Contains("Samples — angular", report);
        Assert.Contains("href=\"../angular/report/report.html\"", report);
        Assert.Contains("MlNetRobust run: angular", File.ReadAllText(Path.Combine(output, "angular", "report", "report.html")));
    }

    [Fact]
    public void A_cosine_schedule_anneals_the_learning_rate_and_is_recorded()
    {
        var data = Cifar10.Locate();
        Assert.True(data is not null, "the CIFAR-10 copy (../shared/datasets/cifar10-jpg) is needed for the end-to-end tests");
        var output = Path.Combine(_dir, "cosine");
        var (code, _, stderr) = RunProcess("train", "--data", data!, "--output", output, "--epochs", "3", "--scheduler", "cosine", "--width", "4",
            "--train-per-class", "4", "--validation-per-class", "2", "--test-per-class", "2", "--pgd-per-class", "1", "--corruption-per-class", "0",
            "--umap-per-class", "0", "--threads", "2");
        Assert.True(code == ExitCodes.Success, $"train failed ({code}): {stderr}");

        // CosineAnnealingLR(T_max = 3) from 1e-3, stepped after each epoch: 1e-3 · (1 + cos(π·t/3)) / 2 for t = 0, 1, 2.
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "baseline-ce", "result.json")));
        var rates = result.RootElement.GetProperty("history").GetProperty("epochs").EnumerateArray()
            .Select(e => e.GetProperty("learning_rate").GetDouble()).ToList();
        Assert.Equal(3, rates.Count);
        foreach (var (expected, actual) in new[] { 1e-3, 7.5e-4, 2.5e-4 }.Zip(rates))
        {
            Assert.Equal(expected, actual, 1e-10);
        }
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "run.json")));
        Assert.Equal("cosine", run.RootElement.GetProperty("options").GetProperty("training").GetProperty("scheduler").GetString());
        Assert.Contains("3, 128, 0.001, cosine annealing to 0", File.ReadAllText(Path.Combine(output, "report", "report.html")));
    }

    [Fact]
    public void A_missing_data_folder_is_a_usage_error_naming_it()
    {
        var (code, _, stderr) = RunProcess("train", "--data", Path.Combine(_dir, "nope"), "--output", _dir);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--data: folder", stderr);
        Assert.Contains("does not exist", stderr);
    }

    [Fact]
    public void An_unknown_scenario_lists_the_known_ones()
    {
        var r = CliRunner.Run("train", "--scenario", "magic", "--output", _dir);
        Assert.Equal(ExitCodes.UsageError, r.ExitCode);
        Assert.Contains("unknown scenario 'magic'; known: baseline-ce", r.Stderr);
    }
}
