using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MlNetRobust.Bench;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Data;
using Spectre.Console;

namespace MlNetRobust.Cli.Commands;

/// <summary>
/// <c>mlnet-robust bench</c>: runs the benchmark suite (<see cref="BenchmarkSuite"/>) on this machine, then the same
/// work in PyTorch (bench/pytorch_bench.py, when an interpreter with torch and torchvision is found), and writes
/// bench.json with both sides' numbers, peak memory and the speed ratios, plus a table on stdout.
/// </summary>
public sealed class BenchCommand : ICliCommand
{
    private const string InstallHint = "install Debian's PyTorch with: sudo apt-get install python3-torch python3-torchvision";

    public Command Build(CliEnvironment environment)
    {
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Folder for bench.json", DefaultValueFactory = _ => new DirectoryInfo("out/bench") };
        var only = new Option<string?>("--only") { Description = $"Comma-separated benchmarks to run (default: all but the extras). Names: {string.Join(", ", BenchmarkSuite.All.Select(b => b.Name))}" };
        var quick = new Option<bool>("--quick") { Description = "Tiny sizes: checks that everything runs, in seconds (the numbers mean nothing)" };
        var steps = new Option<int?>("--steps") { Description = "Timed repetitions per benchmark, after the warm-up (default 5; 1 with --quick)" };
        var pytorch = new Option<string?>("--pytorch") { Description = "Python interpreter with torch and torchvision to compare with (default: MLNR_PYTHON, else /usr/bin/python3 when it imports torch)" };
        var noPytorch = new Option<bool>("--no-pytorch") { Description = "Do not run the PyTorch comparison" };
        var pytorchTunedMalloc = new Option<bool>("--pytorch-tuned-malloc")
        {
            Description = "Run PyTorch with the malloc thresholds MlNetRobust sets at load (large blocks kept in the heap) instead of glibc's defaults",
        };
        var data = new Option<DirectoryInfo?>("--data") { Description = "The CIFAR-10 JPEG folder (with train/) for the data-loading benchmarks (default: found like the other commands)" };
        steps.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
            {
                r.AddError("--steps must be at least 1");
            }
        });
        var command = new Command("bench", """
            Measure training steps, attacks, inference, data loading, KNN and UMAP, and compare with PyTorch doing the same work.

            Writes bench.json (images/s or seconds, peak memory, threads, BLAS) and prints a table; speed ratio > 1
            means MlNetRobust was faster. The PyTorch side needs Debian's python3-torch and python3-torchvision.

            Examples:
              mlnet-robust bench --threads 2 --output out/bench
              mlnet-robust bench --only train_cross_entropy,knn --no-pytorch
              mlnet-robust bench --quick --json
              mlnet-robust bench --threads 2 --pytorch-tuned-malloc --output out/bench-tuned
            """);
        foreach (var option in new Option[] { output, only, quick, steps, pytorch, noPytorch, pytorchTunedMalloc, data })
        {
            command.Options.Add(option);
        }
        data.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<DirectoryInfo?>() is { Exists: false } d)
            {
                r.AddError($"--data: folder '{d.FullName}' does not exist");
            }
        });
        command.Validators.Add(r =>
        {
            if (r.GetValue(pytorch) is not null && r.GetValue(noPytorch))
            {
                r.AddError("--pytorch and --no-pytorch cannot be used together");
            }
            if (r.GetValue(pytorchTunedMalloc) && r.GetValue(noPytorch))
            {
                r.AddError("--pytorch-tuned-malloc and --no-pytorch cannot be used together");
            }
        });
        command.SetAction(parse =>
        {
            var ctx = environment.Context(parse);
            IReadOnlyList<Benchmark> benchmarks;
            try
            {
                benchmarks = BenchmarkSuite.Select(parse.GetValue(only));
            }
            catch (ArgumentException e)
            {
                throw new CliError($"--only: {e.Message}");
            }
            var isQuick = parse.GetValue(quick);
            var (interpreter, status) = ChoosePython(parse.GetValue(pytorch), parse.GetValue(noPytorch), benchmarks);
            var path = Path.Combine(parse.GetValue(output)!.FullName, "bench.json");
            var work = Directory.CreateTempSubdirectory("mlnr-bench-").FullName;
            try
            {
                var settings = new BenchmarkSettings(torch.get_num_threads(), parse.GetValue(steps) ?? (isQuick ? 1 : 5), isQuick,
                    parse.GetValue(data)?.FullName ?? Cifar10.Locate(), work, parse.GetValue(pytorchTunedMalloc));
                var (report, failure) = Run(ctx, benchmarks, settings, interpreter, status);
                BenchReport.Write(report, path);
                ctx.Result(report, () =>
                {
                    foreach (var line in BenchReport.Table(report))
                    {
                        ctx.Stdout.WriteLine(line);
                    }
                    ctx.Stdout.WriteLine();
                    ctx.Stdout.WriteLine($"PyTorch comparison: {report["pytorch"]}");
                    ctx.Stdout.WriteLine($"wrote {path}");
                });
                if (failure is not null)
                {
                    throw new CliError($"the PyTorch comparison failed: {failure}; {path} holds MlNetRobust's numbers only", ExitCodes.InternalError);
                }
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The interpreter to compare with (null: none) and the report's "pytorch" status when there is none.</summary>
    private static (string? Interpreter, string Status) ChoosePython(string? named, bool disabled, IReadOnlyList<Benchmark> benchmarks)
    {
        if (disabled)
        {
            return (null, "skipped: --no-pytorch");
        }
        if (!benchmarks.Any(b => b.ComparedWithPyTorch))
        {
            return (null, "skipped: none of these benchmarks has a PyTorch counterpart");
        }
        if (named is not null)
        {
            return PyTorchBench.Probe(named) is { } problem
                ? throw new CliError($"--pytorch {named}: {problem} ({InstallHint})")
                : (named, "compared");
        }
        var (interpreter, why) = PyTorchBench.Detect();
        return why is null ? (interpreter, "compared") : (null, $"skipped: {why}; {InstallHint}");
    }

    private static (JsonObject Report, string? PyTorchFailure) Run(CliContext ctx, IReadOnlyList<Benchmark> benchmarks, BenchmarkSettings settings,
        string? interpreter, string status)
    {
        var ours = new Dictionary<string, JsonObject>();
        foreach (var benchmark in benchmarks)
        {
            ctx.Say($"[grey]MlNetRobust:[/] {Markup.Escape(benchmark.Name)} ({Markup.Escape(benchmark.Description)})…");
            ours[benchmark.Name] = BenchmarkSuite.Run(benchmark, settings);
            ctx.Say($"  {Markup.Escape(Headline(benchmark, ours[benchmark.Name]))}");
        }
        JsonObject? pytorch = null;
        string? failure = null;
        if (interpreter is not null)
        {
            ctx.Say($"[grey]PyTorch:[/] the same work with {Markup.Escape(interpreter)} {Markup.Escape(PyTorchBench.ScriptPath)}");
            try
            {
                pytorch = PyTorchBench.Run(interpreter, benchmarks.Where(b => b.ComparedWithPyTorch).Select(b => b.Name).ToList(), settings,
                    line => ctx.Say($"  [grey]pytorch:[/] {Markup.Escape(line)}"));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                failure = e.Message;
                status = $"failed: {e.Message}";
            }
        }
        return (BenchReport.Create(settings, benchmarks, ours, RuntimeFacts.Describe(), pytorch, status), failure);
    }

    private static string Headline(Benchmark benchmark, JsonObject result)
    {
        if (result["skipped"] is JsonValue skipped)
        {
            return $"skipped: {skipped}";
        }
        var value = benchmark.MeasureKey is { } key && result[key] is JsonValue v
            ? $"{v.GetValue<double>().ToString("0.###", CultureInfo.InvariantCulture)} {key.Replace("_", " ", StringComparison.Ordinal)}"
            : "done";
        return $"{value}, peak {result["peak_rss_mb"]} MB";
    }
}
