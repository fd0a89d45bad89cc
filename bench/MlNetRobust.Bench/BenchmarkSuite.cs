using System.Text.Json;
using System.Text.Json.Nodes;
using MlNetRobust.Torch;

namespace MlNetRobust.Bench;

/// <summary>
/// Every benchmark by name, in the order they run. The default suite is issue 7's list (training steps, PGD-10,
/// inference, data loading, KNN, UMAP); <c>matmul</c> and <c>perturbations</c> are extras run only when named.
/// Each result gets the headline number, <c>batch</c>, <c>threads</c> and the peak resident memory of the process
/// while it ran (<see cref="PeakMemory"/>).
/// </summary>
public static class BenchmarkSuite
{
    public static IReadOnlyList<Benchmark> All { get; } =
    [
        new("train_cross_entropy", "ResNet18 training step, cross-entropy", BenchmarkMeasure.ImagesPerSecond, true, true, TrainingStepBench.CrossEntropy),
        new("train_fgsm_adversarial", "ResNet18 training step on FGSM examples (crafting included)", BenchmarkMeasure.ImagesPerSecond, true, true, TrainingStepBench.FgsmAdversarial),
        new("train_angular", "ResNet18 + 128-d embedding training step, Angular loss", BenchmarkMeasure.ImagesPerSecond, true, true, TrainingStepBench.Angular),
        new("pgd10", "PGD-10 generation (L-inf 8/255) against ResNet18", BenchmarkMeasure.ImagesPerSecond, true, true, AttackBench.Pgd10),
        new("inference", "ResNet18 inference (eval mode)", BenchmarkMeasure.ImagesPerSecond, true, true, InferenceBench.Run),
        new("data_loading_cold", "JPEG files to float batches, no cache", BenchmarkMeasure.ImagesPerSecond, true, true, DataLoadingBench.Cold),
        new("data_loading_cached", "decoded-image cache to float batches", BenchmarkMeasure.ImagesPerSecond, true, true, DataLoadingBench.Cached),
        new("knn", "KNN predict, cosine, k = 3", BenchmarkMeasure.Seconds, true, true, KnnBench.Run),
        new("umap", "UMAP fit to 2-d", BenchmarkMeasure.Seconds, true, true, UmapBench.Run),
        new("matmul", "float32 matrix product (BLAS)", BenchmarkMeasure.Seconds, false, true, MatmulBench.Run),
        new("perturbations", "every perturbation and corruption, batch of 3x32x32", BenchmarkMeasure.None, false, false,
            s => (JsonObject)JsonSerializer.SerializeToNode(PerturbationBench.Run(s.Quick ? 8 : 256))!),
    ];

    /// <summary>
    /// The benchmarks named in <paramref name="only"/> (comma-separated, any order; run in suite order), or the default
    /// suite when it is null or empty.
    /// </summary>
    /// <exception cref="ArgumentException">A name that is not a benchmark (the message lists the valid ones).</exception>
    public static IReadOnlyList<Benchmark> Select(string? only)
    {
        var names = (only ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            return All.Where(b => b.InDefaultSuite).ToList();
        }
        var unknown = names.Where(n => All.All(b => b.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown benchmark{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(n => $"'{n}'"))}; " +
                $"valid names: {string.Join(", ", All.Select(b => b.Name))}");
        }
        return All.Where(b => names.Contains(b.Name)).ToList();
    }

    /// <summary>Runs one benchmark and adds its thread count and peak memory to its result.</summary>
    public static JsonObject Run(Benchmark benchmark, BenchmarkSettings settings)
    {
        torch.manual_seed(0);
        var (result, memory) = PeakMemory.Measure(() => benchmark.Run(settings));
        if (!result.ContainsKey("skipped"))
        {
            result["threads"] = torch.get_num_threads();
            result["peak_rss_mb"] = memory.PeakMb;
            result["rss_before_mb"] = memory.BeforeMb;
            result["peak_scope"] = memory.Scope;
        }
        return result;
    }
}
