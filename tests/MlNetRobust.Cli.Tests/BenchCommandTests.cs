using System.Diagnostics;
using System.Text.Json;
using MlNetRobust.Bench;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.TestSupport;
using MlNetRobust.Transforms.Data;

namespace MlNetRobust.Cli.Tests;

/// <summary>
/// <c>mlnet-robust bench</c> run as a process in --quick mode (tiny sizes: these tests check that the suite runs and
/// what bench.json holds, never how fast anything is), the PyTorch script on its own, and the command's errors.
/// </summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlnr-bench-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Stdout, string Stderr) RunProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlnet-robust.dll"));
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

    private static string CifarFolder()
    {
        var data = Cifar10.Locate();
        Assert.True(data is not null, "the CIFAR-10 copy (../shared/datasets/cifar10-jpg, or MLNR_CIFAR10_JPG) is needed for the data-loading benchmark");
        return data!;
    }

    private static double Number(JsonElement result, string key)
    {
        Assert.True(result.TryGetProperty(key, out var value), $"'{key}' missing from {result}");
        return value.GetDouble();
    }

    [Fact]
    public void Quick_bench_writes_json_with_positive_numbers_for_the_chosen_benchmarks()
    {
        var output = Path.Combine(_dir, "out");
        var (code, stdout, stderr) = RunProcess("bench", "--quick", "--only", "knn,inference,data_loading_cold", "--no-pytorch",
            "--data", CifarFolder(), "--output", output, "--threads", "2");
        Assert.True(code == ExitCodes.Success, $"bench failed ({code}): {stderr}");

        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "bench.json"))).RootElement;
        Assert.Equal(BenchReport.Format, report.GetProperty("format").GetInt32());
        Assert.True(report.GetProperty("quick").GetBoolean());
        Assert.Equal(2, report.GetProperty("threads").GetInt32());
        Assert.Equal("skipped: --no-pytorch", report.GetProperty("pytorch").GetString());
        var environment = report.GetProperty("environment").GetProperty("mlnet_robust");
        Assert.Equal(2, environment.GetProperty("intra_op_threads").GetInt32());
        Assert.False(string.IsNullOrEmpty(environment.GetProperty("libtorch").GetString()));
        Assert.Equal(JsonValueKind.Array, environment.GetProperty("blas_loaded").ValueKind);

        var benchmarks = report.GetProperty("benchmarks");
        Assert.Equal(["inference", "data_loading_cold", "knn"], benchmarks.EnumerateObject().Select(p => p.Name)); // suite order
        var sizes = BenchmarkSizes.QuickSizes;
        foreach (var (name, measure, batch) in new[] { ("inference", "images_per_second", sizes.InferenceBatch), ("data_loading_cold", "images_per_second", sizes.DataBatch), ("knn", "seconds", 0) })
        {
            var entry = benchmarks.GetProperty(name);
            Assert.Equal(measure, entry.GetProperty("measure").GetString());
            Assert.False(entry.TryGetProperty("pytorch", out _), $"{name} has a PyTorch result without PyTorch");
            var ours = entry.GetProperty("mlnet_robust");
            Assert.True(Number(ours, measure) > 0, $"{name}: {ours}");
            Assert.True(Number(ours, "peak_rss_mb") > 0, $"{name}: {ours}");
            Assert.Equal(2, Number(ours, "threads"));
            if (batch > 0)
            {
                Assert.Equal(batch, Number(ours, "batch"));
            }
        }
        Assert.Equal(sizes.DataFiles, Number(benchmarks.GetProperty("data_loading_cold").GetProperty("mlnet_robust"), "images"));
        Assert.Equal(sizes.KnnQueries, Number(benchmarks.GetProperty("knn").GetProperty("mlnet_robust"), "queries"));

        Assert.Matches(@"(?m)^benchmark +measure +MlNetRobust +PyTorch +speed ratio +peak MB \(ours\) +peak MB \(PyTorch\)$", stdout);
        Assert.Matches(@"(?m)^knn +seconds +[0-9.]+ +- +- +[0-9]+ +-$", stdout);
        Assert.Contains("PyTorch comparison: skipped: --no-pytorch", stdout);
        Assert.Contains($"wrote {Path.Combine(output, "bench.json")}", stdout);
    }

    [PyTorchFact]
    public void Quick_bench_compares_with_pytorch_and_writes_the_speed_ratio()
    {
        var output = Path.Combine(_dir, "out");
        var (code, stdout, stderr) = RunProcess("bench", "--quick", "--only", "knn,train_cross_entropy", "--pytorch", PythonTorch.Interpreter,
            "--output", output, "--threads", "1");
        Assert.True(code == ExitCodes.Success, $"bench failed ({code}): {stderr}");

        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "bench.json"))).RootElement;
        Assert.Equal("compared", report.GetProperty("pytorch").GetString());
        var pytorchEnvironment = report.GetProperty("environment").GetProperty("pytorch");
        Assert.Equal(1, pytorchEnvironment.GetProperty("intra_op_threads").GetInt32());
        Assert.False(string.IsNullOrEmpty(pytorchEnvironment.GetProperty("torch").GetString()));
        // PyTorch runs as its users get it; our process runs with the heap policy the native library sets.
        Assert.Equal("glibc defaults", pytorchEnvironment.GetProperty("malloc").GetString());
        Assert.Contains("mmap threshold 1024 MiB", report.GetProperty("environment").GetProperty("mlnet_robust").GetProperty("malloc").GetString());
        foreach (var (name, measure) in new[] { ("train_cross_entropy", "images_per_second"), ("knn", "seconds") })
        {
            var entry = report.GetProperty("benchmarks").GetProperty(name);
            var ours = entry.GetProperty("mlnet_robust");
            var theirs = entry.GetProperty("pytorch");
            Assert.True(Number(theirs, measure) > 0, $"{name}: {theirs}");
            Assert.True(Number(theirs, "peak_rss_mb") > 0, $"{name}: {theirs}");
            Assert.Equal(1, Number(theirs, "threads"));
            var expected = measure == "seconds" ? Number(theirs, measure) / Number(ours, measure) : Number(ours, measure) / Number(theirs, measure);
            Assert.Equal(Math.Round(expected, 3), Number(entry, "speed_ratio"), 3);
        }
        // Both sides did the same work: the sizes travel to the script in its config.
        var train = report.GetProperty("benchmarks").GetProperty("train_cross_entropy");
        Assert.Equal(Number(train.GetProperty("mlnet_robust"), "batch"), Number(train.GetProperty("pytorch"), "batch"));
        Assert.Contains("pytorch:", stderr);
    }

    [PyTorchFact]
    public void The_pytorch_script_runs_alone_in_quick_mode_and_prints_the_expected_json()
    {
        var files = Directory.GetFiles(Path.Combine(CifarFolder(), "test", "cat"), "*.jpg").Order(StringComparer.Ordinal).Take(12).ToArray();
        var list = Path.Combine(_dir, "files.csv");
        File.WriteAllLines(list, ["path,label", .. files.Select(f => $"{f},cat")]);
        var script = Path.Combine(AppContext.BaseDirectory, "pytorch_bench.py");
        var stdout = PythonTorch.Run("import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')",
            script, "--quick", "--threads", "1", "--only", "train_angular,pgd10,data_loading_cached,knn,umap", "--files", list, "--work", Path.Combine(_dir, "work"));

        var result = JsonDocument.Parse(stdout).RootElement;
        var environment = result.GetProperty("environment");
        foreach (var key in new[] { "torch", "torchvision", "cpu", "blas_loaded", "intra_op_threads" })
        {
            Assert.True(environment.TryGetProperty(key, out _), $"environment lacks '{key}': {environment}");
        }
        var benchmarks = result.GetProperty("benchmarks");
        Assert.Equal(["train_angular", "pgd10", "data_loading_cached", "knn", "umap"], benchmarks.EnumerateObject().Select(p => p.Name));
        var sizes = BenchmarkSizes.QuickSizes; // the script's own quick sizes must be the C# ones
        var angular = benchmarks.GetProperty("train_angular");
        Assert.True(Number(angular, "images_per_second") > 0);
        Assert.Equal(sizes.AngularClasses * sizes.AngularPerClass, Number(angular, "batch"));
        Assert.Equal(sizes.ImageSize, Number(angular, "image_size"));
        Assert.Equal(sizes.PgdBatch, Number(benchmarks.GetProperty("pgd10"), "batch"));
        Assert.True(Number(benchmarks.GetProperty("pgd10"), "peak_rss_mb") > 0);
        Assert.Equal(files.Length, Number(benchmarks.GetProperty("data_loading_cached"), "images"));
        Assert.Equal(sizes.KnnReferences, Number(benchmarks.GetProperty("knn"), "references"));
        Assert.True(Number(benchmarks.GetProperty("knn"), "seconds") > 0);
        var umap = benchmarks.GetProperty("umap");
        Assert.True(umap.TryGetProperty("seconds", out _) || umap.GetProperty("unavailable").GetString()!.Contains("umap-learn", StringComparison.Ordinal), umap.ToString());
    }

    [Fact]
    public void An_unknown_benchmark_name_is_a_usage_error_listing_the_valid_names()
    {
        var r = CliRunner.Run("bench", "--only", "knn,magic", "--no-pytorch", "--output", _dir);
        Assert.Equal(ExitCodes.UsageError, r.ExitCode);
        Assert.Equal("error: --only: unknown benchmark 'magic'; valid names: train_cross_entropy, train_fgsm_adversarial, train_angular, pgd10, "
            + "inference, data_loading_cold, data_loading_cached, knn, umap, matmul, perturbations", r.Stderr.Trim());
        Assert.False(File.Exists(Path.Combine(_dir, "bench.json")));
    }

    [PyTorchFact]
    public void With_tuned_malloc_pytorch_runs_under_the_same_heap_policy_as_ours()
    {
        var output = Path.Combine(_dir, "tuned");
        var (code, _, stderr) = RunProcess("bench", "--quick", "--only", "knn", "--pytorch", PythonTorch.Interpreter, "--pytorch-tuned-malloc",
            "--output", output, "--threads", "1");
        Assert.True(code == ExitCodes.Success, $"bench failed ({code}): {stderr}");
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "bench.json"))).RootElement;
        Assert.Equal("MALLOC_MMAP_THRESHOLD_=1073741824, MALLOC_TRIM_THRESHOLD_=1073741824",
            report.GetProperty("environment").GetProperty("pytorch").GetProperty("malloc").GetString());
    }

    [Theory]
    [InlineData(new[] { "bench", "--pytorch", "/usr/bin/python3", "--no-pytorch" }, "--pytorch and --no-pytorch cannot be used together")]
    [InlineData(new[] { "bench", "--pytorch-tuned-malloc", "--no-pytorch" }, "--pytorch-tuned-malloc and --no-pytorch cannot be used together")]
    [InlineData(new[] { "bench", "--steps", "0" }, "--steps must be at least 1")]
    public void Contradictory_or_bad_options_are_usage_errors(string[] args, string expected)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(ExitCodes.UsageError, r.ExitCode);
        Assert.Contains($"error: {expected}", r.Stderr);
    }

    [Fact]
    public void A_pytorch_interpreter_that_cannot_import_torch_is_refused_before_anything_runs()
    {
        var r = CliRunner.Run("bench", "--only", "knn", "--pytorch", "/bin/false", "--output", _dir);
        Assert.Equal(ExitCodes.UsageError, r.ExitCode);
        Assert.StartsWith("error: --pytorch /bin/false: `/bin/false -c 'import torch, torchvision'` failed", r.Stderr);
        Assert.Contains("sudo apt-get install python3-torch python3-torchvision", r.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "bench.json")));
    }
}
