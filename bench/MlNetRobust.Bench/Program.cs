using System.Diagnostics;
using System.Text.Json;
using MlNetRobust.Models;
using MlNetRobust.Torch;
using MlNetRobust.Torch.Modules;
using MlNetRobust.Torch.Optimizers;
using MlNetRobust.Trainers.Models;

namespace MlNetRobust.Bench;

/// <summary>
/// Engine benchmarks: a ResNet-shaped training step (conv → bn → relu → pool → linear, batch 128, 3×32×32,
/// forward + backward + Adam) and a BLAS-bound matmul. Writes bench.json to --output.
/// Usage: MlNetRobust.Bench [--output DIR] [--threads N] [--steps N] [--only name,name]
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var output = Option(args, "--output") ?? "out/bench";
        var threads = int.Parse(Option(args, "--threads") ?? Environment.ProcessorCount.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        var steps = int.Parse(Option(args, "--steps") ?? "20", System.Globalization.CultureInfo.InvariantCulture);
        torch.set_num_threads(threads);
        torch.manual_seed(0);

        var only = Option(args, "--only");
        var benchmarks = new Dictionary<string, Func<object>>
        {
            ["smoke_train_step"] = () => SmokeTrainStep(steps),
            ["matmul_10000x10000x128"] = Matmul,
            ["resnet18"] = () => ResNetBench.Run(),
            ["knn"] = () => KnnBench.Run(),
            ["perturbations"] = () => PerturbationBench.Run(),
            ["attacks"] = () => AttackBench.Run(),
            ["attacks_resnet18"] = () => AttackBench.Run(() => new ImageNetwork(ResNet.ResNet18(numClasses: 10, cifarStem: true),
                [0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f], ImageModelOutput.Logits), "resnet18_cifar", repeats: 3),
            ["data_loading"] = () => DataLoadingBench.Run(),
            ["umap"] = () => UmapBench.Run(),
        };
        var results = new Dictionary<string, object> { ["environment"] = RuntimeFacts.Describe() };
        foreach (var (name, run) in benchmarks)
        {
            if (only is null || only.Split(',').Contains(name))
            {
                Console.Error.WriteLine($"running {name}…");
                results[name] = run();
            }
        }
        Directory.CreateDirectory(output);
        var path = Path.Combine(output, "bench.json");
        var json = JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true });
        File.WriteAllText(path, json);
        Console.WriteLine(json);
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static Dictionary<string, object> SmokeTrainStep(int steps)
    {
        const int batch = 128;
        using var model = new Sequential(
            new Conv2d(3, 64, 3, padding: 1, bias: false), new BatchNorm2d(64), new ReLU(),
            new AdaptiveAvgPool2d(1, 1), new Flatten(), new Linear(64, 10));
        using var optimizer = new Adam(model.parameters(), lr: 1e-3);
        using var gen = new Generator(0);
        using var x = torch.randn([batch, 3, 32, 32], gen);
        using var y = torch.randint(0, 10, [batch], gen);

        double Step()
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = torch.nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            optimizer.step();
            return loss.item<float>();
        }

        for (var i = 0; i < 3; i++)
        {
            Step();
        }
        var liveBefore = torch.live_tensor_count;
        var sw = Stopwatch.StartNew();
        var times = new List<double>();
        for (var i = 0; i < steps; i++)
        {
            var t0 = sw.Elapsed.TotalMilliseconds;
            Step();
            times.Add(sw.Elapsed.TotalMilliseconds - t0);
        }
        times.Sort();
        return new Dictionary<string, object>
        {
            ["batch"] = batch,
            ["steps"] = steps,
            ["median_ms_per_step"] = Math.Round(times[times.Count / 2], 3),
            ["images_per_second"] = Math.Round(batch / (times[times.Count / 2] / 1000), 1),
            ["live_tensor_growth"] = torch.live_tensor_count - liveBefore,
            ["peak_working_set_mb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
        };
    }

    private static Dictionary<string, object> Matmul()
    {
        using var gen = new Generator(1);
        using var a = torch.randn([10000, 128], gen);
        using var b = torch.randn([128, 10000], gen);
        using (a.matmul(b)) { }
        var sw = Stopwatch.StartNew();
        const int reps = 3;
        for (var i = 0; i < reps; i++)
        {
            using var c = a.matmul(b);
        }
        var seconds = sw.Elapsed.TotalSeconds / reps;
        return new Dictionary<string, object>
        {
            ["seconds"] = Math.Round(seconds, 4),
            ["gflops"] = Math.Round(2.0 * 10000 * 10000 * 128 / seconds / 1e9, 1),
        };
    }
}
