using MlNetRobust.Transforms.Umap;

namespace MlNetRobust.Transforms.Tests.Umap;

public sealed class SymmetricEigenTests
{
    [Fact]
    public void Jacobi_diagonalises_a_symmetric_matrix()
    {
        const int n = 7;
        var a = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                a[i, j] = a[j, i] = Math.Sin(i * 3.1 + j * 1.7) + (i == j ? 2 : 0);
            }
        }

        var (values, vectors) = SymmetricEigen.Jacobi(a);

        for (var c = 0; c < n; c++)
        {
            for (var i = 0; i < n; i++)
            {
                double av = 0;
                for (var j = 0; j < n; j++)
                {
                    av += a[i, j] * vectors[c][j];
                }
                Assert.Equal(values[c] * vectors[c][i], av, 1e-10);
            }
            for (var o = 0; o < n; o++)
            {
                Assert.Equal(c == o ? 1 : 0, SymmetricEigen.Dot(vectors[c], vectors[o]), 1e-10);
            }
        }
        Assert.True(values.Zip(values.Skip(1)).All(p => p.First >= p.Second), "eigenvalues descend");
    }

    [Fact]
    public void Lanczos_converges_to_well_separated_top_eigenpairs_in_few_steps()
    {
        // A diagonal operator (in a scrambled basis would be the same): 10 and 9 above a bulk in [0, 5).
        const int n = 500;
        static double Eigenvalue(int i) => i == 137 ? 10 : i == 42 ? 9 : 5.0 * i / n;
        static void Apply(double[] x, double[] y)
        {
            for (var i = 0; i < n; i++)
            {
                y[i] = Eigenvalue(i) * x[i];
            }
        }

        var (values, vectors) = SymmetricEigen.LanczosLargest(n, Apply, count: 2, steps: 30, seed: 7);

        Assert.Equal(10, values[0], 1e-10);
        Assert.Equal(9, values[1], 1e-10);
        Assert.Equal(1, Math.Abs(vectors[0][137]), 1e-10);
        Assert.Equal(1, Math.Abs(vectors[1][42]), 1e-10);
    }

    [Fact]
    public void Lanczos_finds_the_largest_eigenpairs_of_a_path_graph()
    {
        // Adjacency of the path 0–1–…–(n−1): eigenvalues 2 cos(πk/(n+1)), eigenvectors sin(πjk/(n+1)), k = 1..n.
        // The top of this spectrum is tightly clustered, so give Lanczos the whole space.
        const int n = 50;
        static void Apply(double[] x, double[] y)
        {
            for (var i = 0; i < n; i++)
            {
                y[i] = (i > 0 ? x[i - 1] : 0) + (i < n - 1 ? x[i + 1] : 0);
            }
        }

        var (values, vectors) = SymmetricEigen.LanczosLargest(n, Apply, count: 2, steps: n, seed: 1);

        for (var k = 1; k <= 2; k++)
        {
            Assert.Equal(2 * Math.Cos(Math.PI * k / (n + 1)), values[k - 1], 1e-9);
            var exact = Enumerable.Range(1, n).Select(j => Math.Sin(Math.PI * j * k / (n + 1))).ToArray();
            var norm = Math.Sqrt(SymmetricEigen.Dot(exact, exact));
            Assert.Equal(1, Math.Abs(SymmetricEigen.Dot(exact, vectors[k - 1])) / norm, 1e-6);
        }
    }

    [Fact]
    public void Lanczos_restricted_away_from_the_trivial_vector_finds_a_rings_first_harmonics()
    {
        // Normalised adjacency of a ring: the constant vector has eigenvalue 1; next comes cos(2π/n), twice,
        // with eigenvectors cos(2πj/n) and sin(2πj/n) (any rotation of them). One Krylov sequence sees one
        // direction per distinct eigenvalue, so finding both needs the restart after the space turns invariant.
        const int n = 64;
        static void Apply(double[] x, double[] y)
        {
            for (var i = 0; i < n; i++)
            {
                y[i] = (x[(i + n - 1) % n] + x[(i + 1) % n]) / 2;
            }
        }
        var trivial = Enumerable.Repeat(1 / Math.Sqrt(n), n).ToArray();

        var (values, vectors) = SymmetricEigen.LanczosLargest(n, Apply, count: 2, steps: n, seed: 3, deflate: [trivial]);

        Assert.Equal(Math.Cos(2 * Math.PI / n), values[0], 1e-10);
        Assert.Equal(Math.Cos(2 * Math.PI / n), values[1], 1e-10);
        // Both vectors lie in span{cos, sin}: the points (v0[j], v1[j]) sit on a circle.
        var radii = Enumerable.Range(0, n).Select(j => Math.Sqrt(vectors[0][j] * vectors[0][j] + vectors[1][j] * vectors[1][j])).ToArray();
        Assert.All(radii, r => Assert.Equal(Math.Sqrt(2.0 / n), r, 1e-8));
    }
}
