namespace MlNetRobust.Transforms.Umap;

/// <summary>A symmetric weighted graph in compressed sparse rows, columns sorted within each row.</summary>
internal sealed record SparseGraph(int N, int[] RowStart, int[] Columns, float[] Weights)
{
    public int EdgeCount => Columns.Length;

    public float MaxWeight => Weights.Length == 0 ? 0 : Weights.Max();

    /// <summary>A copy without the edges whose weight is below <paramref name="threshold"/>.</summary>
    public SparseGraph Prune(float threshold)
    {
        var rowStart = new int[N + 1];
        var columns = new List<int>(Columns.Length);
        var weights = new List<float>(Columns.Length);
        for (var i = 0; i < N; i++)
        {
            for (var e = RowStart[i]; e < RowStart[i + 1]; e++)
            {
                if (Weights[e] >= threshold && Weights[e] > 0)
                {
                    columns.Add(Columns[e]);
                    weights.Add(Weights[e]);
                }
            }
            rowStart[i + 1] = columns.Count;
        }
        return new SparseGraph(N, rowStart, [.. columns], [.. weights]);
    }
}

/// <summary>
/// The high-dimensional fuzzy graph of UMAP (McInnes, Healy &amp; Melville 2018, §3.1 and Algorithms 2–3;
/// umap-learn's <c>smooth_knn_dist</c>, <c>compute_membership_strengths</c> and <c>fuzzy_simplicial_set</c>).
/// Each point i gets ρᵢ, the distance to its nearest neighbour (local connectivity 1), and σᵢ, found by binary
/// search so that Σⱼ exp(−max(0, dᵢⱼ − ρᵢ) / σᵢ) = log₂ k over its neighbours after the first; the directed
/// memberships are then combined by the fuzzy union (probabilistic t-conorm) A + Aᵀ − A∘Aᵀ.
/// </summary>
internal static class FuzzySimplicialSet
{
    private const double SmoothKTolerance = 1e-5;
    private const double MinKDistScale = 1e-3;
    private const int BinarySearchSteps = 64;

    /// <summary>
    /// σ and ρ for every row of sorted neighbour distances [rows, k], as umap-learn's smooth_knn_dist with
    /// bandwidth 1: the target is log₂(k), the sum skips column 0 (the point itself in the training graph;
    /// umap-learn skips it in transform too, where ρ = 0), and σ is floored at 1e-3 × the mean distance.
    /// </summary>
    public static (double[] Sigma, double[] Rho) SmoothKnnDistances(NeighborGraph knn, double localConnectivity = 1.0)
    {
        var (rows, k) = (knn.Rows, knn.K);
        var target = Math.Log2(k);
        var sigma = new double[rows];
        var rho = new double[rows];
        var meanDistance = knn.Distances.Length == 0 ? 0 : knn.Distances.Average();
        Parallel.For(0, rows, i =>
        {
            var d = knn.Distances.AsSpan(i * k, k);
            var nonZero = new List<double>(k);
            foreach (var v in d)
            {
                if (v > 0)
                {
                    nonZero.Add(v);
                }
            }
            if (nonZero.Count >= localConnectivity)
            {
                var index = (int)Math.Floor(localConnectivity);
                var interpolation = localConnectivity - index;
                if (index > 0)
                {
                    rho[i] = nonZero[index - 1];
                    if (interpolation > SmoothKTolerance)
                    {
                        rho[i] += interpolation * (nonZero[index] - nonZero[index - 1]);
                    }
                }
                else
                {
                    rho[i] = interpolation * nonZero[0];
                }
            }
            else if (nonZero.Count > 0)
            {
                rho[i] = nonZero.Max();
            }

            double lo = 0, hi = double.PositiveInfinity, mid = 1;
            for (var step = 0; step < BinarySearchSteps; step++)
            {
                double sum = 0;
                for (var j = 1; j < k; j++)
                {
                    var excess = d[j] - rho[i];
                    sum += excess > 0 ? Math.Exp(-excess / mid) : 1;
                }
                if (Math.Abs(sum - target) < SmoothKTolerance)
                {
                    break;
                }
                if (sum > target)
                {
                    hi = mid;
                    mid = (lo + hi) / 2;
                }
                else
                {
                    lo = mid;
                    mid = double.IsPositiveInfinity(hi) ? mid * 2 : (lo + hi) / 2;
                }
            }
            // Floor σ so that near-duplicate neighbourhoods do not give infinitely sharp kernels.
            var floor = MinKDistScale * (rho[i] > 0 ? Average(d) : meanDistance);
            sigma[i] = Math.Max(mid, floor);
        });
        return (sigma, rho);
    }

    /// <summary>
    /// Directed membership strengths [rows, k]: exp(−(d − ρ) / σ), 1 within ρ, and 0 for a point's edge to
    /// itself unless <paramref name="bipartite"/> (queries and reference are different sets).
    /// </summary>
    public static float[] MembershipStrengths(NeighborGraph knn, double[] sigma, double[] rho, bool bipartite)
    {
        var k = knn.K;
        var result = new float[knn.Rows * k];
        for (var i = 0; i < knn.Rows; i++)
        {
            for (var j = 0; j < k; j++)
            {
                var e = i * k + j;
                var excess = knn.Distances[e] - rho[i];
                result[e] = !bipartite && knn.Indices[e] == i ? 0f
                    : excess <= 0 || sigma[i] == 0 ? 1f
                    : (float)Math.Exp(-excess / sigma[i]);
            }
        }
        return result;
    }

    /// <summary>The symmetric fuzzy graph of a training set's kNN graph (fuzzy union, zeros dropped).</summary>
    public static SparseGraph Build(NeighborGraph knn, out double[] sigma, out double[] rho)
    {
        (sigma, rho) = SmoothKnnDistances(knn);
        var strengths = MembershipStrengths(knn, sigma, rho, bipartite: false);
        return FuzzyUnion(knn.Rows, knn.K, knn.Indices, strengths);
    }

    /// <summary>
    /// A + Aᵀ − A∘Aᵀ for the directed graph A given as k entries per row. Each (i, j) is keyed i·n + j; the
    /// entries of A and of Aᵀ are sorted together, so a key met twice is an edge present in both directions.
    /// </summary>
    public static SparseGraph FuzzyUnion(int n, int k, int[] columns, float[] strengths)
    {
        var keys = new List<long>(2 * columns.Length);
        var values = new List<float>(2 * columns.Length);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < k; j++)
            {
                var w = strengths[i * k + j];
                var c = columns[i * k + j];
                if (w > 0 && c != i)
                {
                    keys.Add((long)i * n + c);
                    values.Add(w);
                    keys.Add((long)c * n + i);
                    values.Add(w);
                }
            }
        }
        var keyArray = keys.ToArray();
        var valueArray = values.ToArray();
        Array.Sort(keyArray, valueArray);
        var rowStart = new int[n + 1];
        var outColumns = new List<int>(keyArray.Length);
        var outWeights = new List<float>(keyArray.Length);
        for (var e = 0; e < keyArray.Length;)
        {
            var key = keyArray[e];
            double a = valueArray[e];
            var end = e + 1;
            while (end < keyArray.Length && keyArray[end] == key)
            {
                end++;
            }
            // One entry: only one direction has the edge (the other is 0). Two: a + b − ab.
            // (A duplicated neighbour in one kNN row would give more; treat extra copies as the same edge.)
            double union = end - e == 1 ? a : a + valueArray[e + 1] - a * valueArray[e + 1];
            var row = (int)(key / n);
            outColumns.Add((int)(key % n));
            outWeights.Add((float)union);
            rowStart[row + 1]++;
            e = end;
        }
        for (var i = 0; i < n; i++)
        {
            rowStart[i + 1] += rowStart[i];
        }
        return new SparseGraph(n, rowStart, [.. outColumns], [.. outWeights]);
    }

    private static double Average(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }
        return sum / values.Length;
    }
}
