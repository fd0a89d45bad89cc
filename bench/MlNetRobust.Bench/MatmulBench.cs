using System.Text.Json.Nodes;
using MlNetRobust.Torch;

namespace MlNetRobust.Bench;

/// <summary>
/// A BLAS-bound float32 matrix product [n, 128] × [128, n] (n = 10,000): shows which BLAS libtorch multiplies through
/// (OpenBLAS ≈ 90 GFLOP/s on 2 cores here, the reference BLAS ≈ 2).
/// </summary>
public static class MatmulBench
{
    public static JsonObject Run(BenchmarkSettings settings)
    {
        var n = settings.Sizes.MatmulSize;
        using var gen = new Generator(1);
        using var a = torch.randn([n, 128], gen);
        using var b = torch.randn([128, n], gen);
        var seconds = Timing.Repeat(1, settings.Steps, () =>
        {
            using var c = a.matmul(b);
        });
        var median = Timing.Median(seconds);
        return new JsonObject
        {
            ["seconds"] = Timing.Round(median, 5),
            ["shape"] = $"[{n}, 128] x [128, {n}]",
            ["gflops"] = Math.Round(2.0 * n * n * 128 / median / 1e9, 1),
        };
    }
}
