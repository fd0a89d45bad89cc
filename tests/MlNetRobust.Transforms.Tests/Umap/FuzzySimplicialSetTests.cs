using MlNetRobust.Torch;
using MlNetRobust.Transforms.Umap;

namespace MlNetRobust.Transforms.Tests.Umap;

/// <summary>σ, ρ, membership strengths and the fuzzy union against plain-loop references (GUIDE: naive references).</summary>
public sealed class FuzzySimplicialSetTests
{
    private const int N = 12;
    private const int Dim = 3;
    private const int K = 5;

    private static float[] Points() =>
        Enumerable.Range(0, N * Dim).Select(v => (float)(Math.Sin(1.3 * (v / Dim) + 0.7 * (v % Dim)) + 0.1 * (v / Dim) * (v % Dim))).ToArray();

    /// <summary>Every point's k nearest (itself first) by a double loop: (index, distance) sorted.</summary>
    private static (int Index, double Distance)[][] NaiveNeighbours(float[] x)
    {
        return Enumerable.Range(0, N).Select(i => Enumerable.Range(0, N)
            .Select(j => (Index: j, Distance: Math.Sqrt(Enumerable.Range(0, Dim).Sum(c => Math.Pow((double)x[i * Dim + c] - x[j * Dim + c], 2)))))
            .OrderBy(p => p.Distance).ThenBy(p => p.Index).Take(K).ToArray()).ToArray();
    }

    /// <summary>σ solving Σ_{j≥1} exp(−max(0, d_j − ρ)/σ) = log₂ k, by 200 bisections in log space.</summary>
    private static double NaiveSigma(double[] distances, double rho)
    {
        double Sum(double sigma) => distances.Skip(1).Sum(d => d - rho > 0 ? Math.Exp(-(d - rho) / sigma) : 1);
        double lo = Math.Log(1e-9), hi = Math.Log(1e9);
        for (var step = 0; step < 200; step++)
        {
            var mid = (lo + hi) / 2;
            (lo, hi) = Sum(Math.Exp(mid)) > Math.Log2(K) ? (lo, mid) : (mid, hi);
        }
        return Math.Exp((lo + hi) / 2);
    }

    private static NeighborGraph Knn(float[] x)
    {
        using var tensor = torch.tensor(x, N, Dim);
        using var points = PointSet.Create(tensor, UmapMetric.Euclidean);
        return ExactNearestNeighbors.Search(points, points, K, queriesAreReference: true);
    }

    [Fact]
    public void Sigma_and_rho_match_a_naive_binary_search()
    {
        var x = Points();
        var naive = NaiveNeighbours(x);
        var knn = Knn(x);

        var (sigma, rho) = FuzzySimplicialSet.SmoothKnnDistances(knn);

        for (var i = 0; i < N; i++)
        {
            Assert.Equal(naive[i].Select(p => p.Index), knn.Indices.Skip(i * K).Take(K));
            var distances = naive[i].Select(p => p.Distance).ToArray();
            var expectedRho = distances.First(d => d > 0);
            Assert.Equal(expectedRho, rho[i], 1e-6);
            Assert.Equal(NaiveSigma(distances, expectedRho), sigma[i], NaiveSigma(distances, expectedRho) * 1e-3);
        }
    }

    [Fact]
    public void Memberships_of_each_points_neighbours_sum_to_log2_k()
    {
        var knn = Knn(Points());
        var (sigma, rho) = FuzzySimplicialSet.SmoothKnnDistances(knn);

        var strengths = FuzzySimplicialSet.MembershipStrengths(knn, sigma, rho, bipartite: false);

        for (var i = 0; i < N; i++)
        {
            Assert.Equal(0f, strengths[i * K]);                         // the point itself
            Assert.Equal(1f, strengths[i * K + 1]);                     // the nearest neighbour, within ρ
            Assert.Equal(Math.Log2(K), strengths.Skip(i * K + 1).Take(K - 1).Sum(s => (double)s), 1e-4);
        }
    }

    [Fact]
    public void Transform_memberships_use_rho_zero_and_still_sum_to_log2_k_after_the_first()
    {
        var knn = Knn(Points());

        var (sigma, rho) = FuzzySimplicialSet.SmoothKnnDistances(knn, localConnectivity: 0);
        var strengths = FuzzySimplicialSet.MembershipStrengths(knn, sigma, rho, bipartite: true);

        Assert.All(rho, r => Assert.Equal(0, r));
        for (var i = 0; i < N; i++)
        {
            Assert.Equal(Math.Log2(K), strengths.Skip(i * K + 1).Take(K - 1).Sum(s => (double)s), 1e-4);
        }
    }

    [Fact]
    public void Fuzzy_union_matches_a_dense_reference()
    {
        var knn = Knn(Points());
        var graph = FuzzySimplicialSet.Build(knn, out var sigma, out var rho);
        var strengths = FuzzySimplicialSet.MembershipStrengths(knn, sigma, rho, bipartite: false);
        var a = new double[N, N];
        for (var i = 0; i < N; i++)
        {
            for (var j = 0; j < K; j++)
            {
                a[i, knn.Indices[i * K + j]] = strengths[i * K + j];
            }
        }

        var dense = new double[N, N];
        for (var i = 0; i < graph.N; i++)
        {
            for (var e = graph.RowStart[i]; e < graph.RowStart[i + 1]; e++)
            {
                dense[i, graph.Columns[e]] = graph.Weights[e];
            }
            Assert.True(graph.Columns.Skip(graph.RowStart[i]).Take(graph.RowStart[i + 1] - graph.RowStart[i]).Zip(
                graph.Columns.Skip(graph.RowStart[i] + 1).Take(graph.RowStart[i + 1] - graph.RowStart[i] - 1)).All(p => p.First < p.Second), "columns sorted");
        }
        for (var i = 0; i < N; i++)
        {
            for (var j = 0; j < N; j++)
            {
                var expected = a[i, j] + a[j, i] - a[i, j] * a[j, i];
                Assert.Equal(expected, dense[i, j], 1e-6);
                Assert.Equal(dense[j, i], dense[i, j]);
            }
        }
    }
}
