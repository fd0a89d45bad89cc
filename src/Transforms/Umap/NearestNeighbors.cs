using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Umap;

/// <summary>
/// Points prepared for neighbour search: float32 rows [N, D] (L2-normalised for <see cref="UmapMetric.Cosine"/>),
/// their squared norms, and a managed copy of the values for exact distances. Owns its tensors.
/// </summary>
internal sealed class PointSet : IDisposable
{
    private PointSet(Tensor points, Tensor squaredNorms, float[] data, UmapMetric metric)
    {
        Points = points;
        SquaredNorms = squaredNorms;
        Data = data;
        Metric = metric;
        Count = (int)points.size(0);
        Dimension = (int)points.size(1);
    }

    public Tensor Points { get; }

    public Tensor SquaredNorms { get; }

    public float[] Data { get; }

    public UmapMetric Metric { get; }

    public int Count { get; }

    public int Dimension { get; }

    /// <summary>Copies <paramref name="points"/> [N, D] (any floating type) into a new set.</summary>
    public static PointSet Create(Tensor points, UmapMetric metric)
    {
        if (points.ndim != 2)
        {
            throw new ArgumentException($"UMAP needs points as a [N, D] tensor, got {points.Describe()}", nameof(points));
        }
        using var scope = torch.NewDisposeScope();
        var x = points.to(ScalarType.Float32).contiguous();
        if (metric == UmapMetric.Cosine)
        {
            // Cosine distance is half the squared Euclidean distance of unit vectors; a zero vector stays zero.
            x = x.div(x.norm(2, 1, keepdim: true).clamp_min(1e-12)).contiguous();
        }
        var values = x.data<float>();
        if (values.Any(v => !float.IsFinite(v)))
        {
            throw new ArgumentException("UMAP: the input embeddings contain NaN or infinite values", nameof(points));
        }
        var owned = x.clone().DetachFromDisposeScope();
        var norms = owned.square().sum(1).DetachFromDisposeScope();
        return new PointSet(owned, norms, values, metric);
    }

    /// <summary>The metric's distance between row i of this set and row j of <paramref name="other"/>, in double.</summary>
    public double Distance(int i, PointSet other, int j)
    {
        var d = Dimension;
        var a = Data.AsSpan(i * d, d);
        var b = other.Data.AsSpan(j * d, d);
        double sum = 0;
        for (var c = 0; c < d; c++)
        {
            double diff = a[c] - b[c];
            sum += diff * diff;
        }
        return Metric == UmapMetric.Cosine ? sum / 2 : Math.Sqrt(sum);
    }

    public void Dispose()
    {
        Points.Dispose();
        SquaredNorms.Dispose();
    }
}

/// <summary>k nearest neighbours per query row, nearest first: <c>Indices[q * K + j]</c>, <c>Distances[q * K + j]</c>.</summary>
internal sealed record NeighborGraph(int Rows, int K, int[] Indices, double[] Distances);

/// <summary>
/// Exact k-nearest-neighbour search by brute force: libtorch ranks a block of queries against every reference
/// point with one matrix product (‖x‖² − 2 q·x, the squared distance less ‖q‖²), top-k keeps 2k candidates per
/// query, and the candidates'
/// distances are then recomputed exactly in double and sorted (ties by index). The recomputation removes the
/// expansion's cancellation error and makes order and distances exact, so how queries are batched (which can
/// change BLAS rounding) could only matter if rounding pushed a true neighbour out of the 2k candidates.
/// Cost is O(N·Q·D) and memory one block of at most <see cref="BlockElements"/> distances: fine up to about
/// 50,000 × 50,000 points (about 20 CPU-seconds at D = 128, three quarters of it the matrix products);
/// beyond that an approximate index (NN-descent, as umap-learn uses through pynndescent) should take over.
/// </summary>
internal static class ExactNearestNeighbors
{
    /// <summary>Distances held at once (32 Mi floats = 128 MiB).</summary>
    public const long BlockElements = 32L << 20;

    /// <summary>
    /// The <paramref name="k"/> nearest rows of <paramref name="reference"/> for every row of <paramref name="queries"/>.
    /// With <paramref name="queriesAreReference"/>, query i is reference row i and is returned as its own first
    /// neighbour at distance 0 (umap-learn's convention for the training graph).
    /// </summary>
    public static NeighborGraph Search(PointSet reference, PointSet queries, int k, bool queriesAreReference = false)
    {
        var n = reference.Count;
        if (k < 1 || k > n)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"need 1..{n} neighbours");
        }
        if (queries.Dimension != reference.Dimension)
        {
            throw new ArgumentException($"queries have {queries.Dimension} dimensions, the reference {reference.Dimension}", nameof(queries));
        }
        var candidates = Math.Min(n, 2 * k);
        var indices = new int[queries.Count * k];
        var distances = new double[queries.Count * k];
        var block = (int)Math.Clamp(BlockElements / n, 1, Math.Max(1, queries.Count));
        for (var start = 0; start < queries.Count; start += block)
        {
            var rows = Math.Min(block, queries.Count - start);
            long[] found;
            using (torch.NewDisposeScope())
            using (torch.no_grad())
            {
                // ‖x‖² − 2 q·x: the squared distance less ‖q‖², which does not change a row's order.
                var q = queries.Points.narrow(0, start, rows).mul(-2);
                var d2 = q.mm(reference.Points.t()).add_(reference.SquaredNorms.unsqueeze(0));
                found = d2.topk(candidates, 1, largest: false, sorted: false).indices.data<long>();
            }
            Parallel.For(0, rows, r =>
            {
                var query = start + r;
                var list = new List<(double Distance, int Index)>(candidates + 1);
                var hasSelf = false;
                for (var c = 0; c < candidates; c++)
                {
                    var j = (int)found[r * candidates + c];
                    var self = queriesAreReference && j == query;
                    hasSelf |= self;
                    list.Add((self ? -1 : queries.Distance(query, reference, j), j));
                }
                if (queriesAreReference && !hasSelf)
                {
                    list.Add((-1, query));
                }
                list.Sort((x, y) => x.Distance != y.Distance ? x.Distance.CompareTo(y.Distance) : x.Index.CompareTo(y.Index));
                for (var j = 0; j < k; j++)
                {
                    indices[query * k + j] = list[j].Index;
                    distances[query * k + j] = Math.Max(0, list[j].Distance);
                }
            });
        }
        return new NeighborGraph(queries.Count, k, indices, distances);
    }
}
