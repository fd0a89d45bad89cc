using System.Diagnostics;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Corruptions;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Bench;

/// <summary>
/// Throughput of every perturbation and corruption (severity 3) on a batch of CIFAR-sized images [batch, 3, 32, 32]
/// through <see cref="IImagePerturbation.Apply"/> with p = 1 (every row perturbed): the median of several timed
/// runs after a warm-up, as images per second of wall time and of this process's CPU time (on a shared,
/// busy machine the CPU figure is the steadier one; with one intra-op thread the two agree when it is idle),
/// plus the growth of live native tensors (a leak check). An extra of <c>mlnet-robust bench</c> (<c>--only perturbations</c>),
/// not compared with PyTorch.
/// </summary>
public static class PerturbationBench
{
    public static Dictionary<string, object> Run(int batch = 256)
    {
        var ctx = new RobustContext(0);
        var t = ctx.Transforms;
        var cases = new List<(string Name, ImagePerturbation Perturbation)>
        {
            ("gaussian_noise", t.GaussianNoise(std: 0.05, p: 1).Transformer),
            ("color_jitter", t.ColorJitter(0.4, 0.4, 0.4, 0.1, p: 1).Transformer),
            ("horizontal_flip", t.HorizontalFlip(p: 1).Transformer),
            ("random_rotation", t.RandomRotation(degrees: 15, p: 1).Transformer),
            ("random_crop_pad4", t.RandomCrop(padding: 4, p: 1).Transformer),
            ("compose_noise_jitter_flip_rotation_p0.3", t.Compose(t.GaussianNoise(p: 0.3), t.ColorJitter(p: 0.3), t.HorizontalFlip(p: 0.3), t.RandomRotation(p: 0.3)).Transformer),
        };
        foreach (var corruption in Enum.GetValues<Corruption>())
        {
            cases.Add(($"corrupt_{SnakeCase(corruption.ToString())}_s3", t.Corrupt(corruption, severity: 3, p: 1).Transformer));
        }

        using var gen = new Generator(0);
        using var images = torch.rand([batch, 3, 32, 32], gen);
        var ids = Enumerable.Range(0, batch).Select(i => (long)i).ToArray();
        var results = new Dictionary<string, object>();
        foreach (var (name, perturbation) in cases)
        {
            using (perturbation.Apply(images, ids, 0)) { } // warm-up (caches, first-call costs)
            var live = torch.live_tensor_count;
            var times = new List<double>();
            var cpuTimes = new List<double>();
            var watch = Stopwatch.StartNew();
            using var process = Process.GetCurrentProcess();
            for (var run = 0; run < 7 && (run < 3 || watch.Elapsed.TotalSeconds < 3); run++)
            {
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var start = watch.Elapsed.TotalSeconds;
                using (perturbation.Apply(images, ids, (ulong)run + 1)) { }
                times.Add(watch.Elapsed.TotalSeconds - start);
                process.Refresh();
                cpuTimes.Add((process.TotalProcessorTime - cpu).TotalSeconds);
            }
            times.Sort();
            cpuTimes.Sort();
            var median = times[times.Count / 2];
            var cpuMedian = Math.Max(cpuTimes[cpuTimes.Count / 2], 1e-4); // the OS counts CPU time in ticks
            results[name] = new Dictionary<string, object>
            {
                ["images_per_second"] = Math.Round(batch / median, 0),
                ["median_ms_per_batch"] = Math.Round(median * 1000, 2),
                ["images_per_cpu_second"] = Math.Round(batch / cpuMedian, 0),
                ["median_cpu_ms_per_batch"] = Math.Round(cpuMedian * 1000, 2),
                ["runs"] = times.Count,
                ["live_tensor_growth"] = torch.live_tensor_count - live,
            };
        }
        return new Dictionary<string, object>
        {
            ["batch"] = batch,
            ["image"] = "3x32x32 float32",
            ["intra_op_threads"] = torch.get_num_threads(),
            ["perturbations"] = results,
        };
    }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
