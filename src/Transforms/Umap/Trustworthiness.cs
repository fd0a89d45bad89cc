using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Umap;

/// <summary>
/// Trustworthiness of a low-dimensional map (Venna &amp; Kaski 2001; the definition of
/// <c>sklearn.manifold.trustworthiness</c>): T(k) = 1 − 2 / (n k (2n − 3k − 1)) · Σᵢ Σ_{j ∈ Uᵢ} (r(i, j) − k),
/// where Uᵢ are i's k nearest neighbours in the map that are not among its k nearest in the input, and
/// r(i, j) is j's rank among i's neighbours in the input (1 = nearest). 1 means no false neighbours in the map;
/// a random map scores about 0.5. Needs k &lt; n / 2.
/// Shapes: input [N, D], embedded [N, d]. Exact: O(N² (D + log k)), distances by libtorch in float64, in blocks.
/// Example: <c>var t = Trustworthiness.Compute(embeddings, map, k: 15);</c>
/// </summary>
public static class Trustworthiness
{
    /// <summary>Distances held at once (8 Mi doubles = 64 MiB).</summary>
    private const long BlockElements = 8L << 20;

    public static double Compute(Tensor input, Tensor embedded, int k = 15, UmapMetric metric = UmapMetric.Euclidean)
    {
        var n = input.size(0);
        if (input.ndim != 2 || embedded.ndim != 2 || embedded.size(0) != n)
        {
            throw new ArgumentException($"trustworthiness needs [N, D] and [N, d] with the same N; got {input.Describe()} and {embedded.Describe()}");
        }
        if (k < 1 || k >= n / 2.0)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in 1 .. n/2 (n = {n})");
        }
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = input.to(ScalarType.Float64).contiguous();
        if (metric == UmapMetric.Cosine)
        {
            // Ranks by cosine distance are ranks by Euclidean distance between unit vectors.
            x = x.div(x.norm(2, 1, keepdim: true).clamp_min(1e-300));
        }
        var y = embedded.to(ScalarType.Float64).contiguous();
        var xNorms = x.square().sum(1);
        var yNorms = y.square().sum(1);
        var block = Math.Max(1, BlockElements / n);
        double penalty = 0;
        for (long start = 0; start < n; start += block)
        {
            using var inner = torch.NewDisposeScope();
            var rows = (int)Math.Min(block, n - start);
            var self = new Tensor?[] { torch.arange(rows), torch.arange(start, start + rows) };
            var mapDistances = SquaredDistances(y, yNorms, start, rows);
            mapDistances.index_put_(self, torch.scalar_tensor(double.PositiveInfinity, ScalarType.Float64));
            var mapNeighbours = mapDistances.topk(k, 1, largest: false).indices.data<long>();
            var inputDistances = SquaredDistances(x, xNorms, start, rows);
            inputDistances.index_put_(self, torch.scalar_tensor(double.PositiveInfinity, ScalarType.Float64));
            var distances = inputDistances.data<double>();
            var rowPenalty = new double[rows];
            Parallel.For(0, rows, r => rowPenalty[r] = RowPenalty(distances.AsSpan(r * (int)n, (int)n), mapNeighbours.AsSpan(r * k, k)));
            penalty += rowPenalty.Sum();
        }
        return 1 - penalty * (2.0 / (n * (double)k * (2.0 * n - 3.0 * k - 1.0)));
    }

    /// <summary>Σ max(0, r(j) − k) over one point's map neighbours j, r(j) = 1 + #{l : d(l) &lt; d(j)} (the point itself is at +∞).</summary>
    private static double RowPenalty(ReadOnlySpan<double> distances, ReadOnlySpan<long> mapNeighbours)
    {
        var k = mapNeighbours.Length;
        Span<double> thresholds = stackalloc double[k];
        for (var j = 0; j < k; j++)
        {
            thresholds[j] = distances[(int)mapNeighbours[j]];
        }
        thresholds.Sort();
        // One pass: bucket each distance by how many thresholds it stays below, then prefix-sum.
        Span<int> below = stackalloc int[k + 1];
        below.Clear();
        foreach (var d in distances)
        {
            var lo = 0;
            var hi = k;
            while (lo < hi)
            {
                var mid = (lo + hi) >> 1;
                if (thresholds[mid] > d)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }
            below[lo]++;   // d < thresholds[q] for every q >= lo
        }
        double penalty = 0;
        var nearer = 0;
        for (var q = 0; q < k; q++)
        {
            nearer += below[q];
            penalty += Math.Max(0, nearer + 1 - k);
        }
        return penalty;
    }

    private static Tensor SquaredDistances(Tensor points, Tensor norms, long start, int rows)
    {
        var chunk = points.narrow(0, start, rows);
        return chunk.mm(points.t()).mul_(-2).add_(norms.unsqueeze(0)).add_(norms.narrow(0, start, rows).unsqueeze(1));
    }
}
