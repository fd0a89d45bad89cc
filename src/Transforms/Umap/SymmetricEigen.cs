namespace MlNetRobust.Transforms.Umap;

/// <summary>
/// The two small eigen-solvers UMAP's initialisation needs, written out because the engine exposes no eigh:
/// cyclic Jacobi for small dense symmetric matrices, and Lanczos with full re-orthogonalisation for the
/// largest eigenpairs of a large sparse symmetric operator (Golub &amp; Van Loan, Matrix Computations, §8.5
/// and §10.1). umap-learn calls ARPACK's eigsh for the same job.
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// All eigenpairs of a symmetric matrix by cyclic Jacobi rotations, eigenvalues in descending order;
    /// vectors[i] belongs to values[i]. Accurate to rounding; O(n³) per sweep, so for n up to a few hundred.
    /// </summary>
    public static (double[] Values, double[][] Vectors) Jacobi(double[,] matrix, int maxSweeps = 50)
    {
        var n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n)
        {
            throw new ArgumentException("matrix must be square", nameof(matrix));
        }
        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            v[i, i] = 1;
        }
        for (var sweep = 0; sweep < maxSweeps; sweep++)
        {
            double off = 0, total = 0;
            for (var p = 0; p < n; p++)
            {
                for (var q = 0; q < n; q++)
                {
                    total += a[p, q] * a[p, q];
                    off += p != q ? a[p, q] * a[p, q] : 0;
                }
            }
            if (off <= 1e-30 * total || off == 0)
            {
                break;
            }
            for (var p = 0; p < n - 1; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    if (a[p, q] == 0)
                    {
                        continue;
                    }
                    // The rotation that zeroes a[p, q] (the stable form with |t| <= 1).
                    var theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    var c = 1 / Math.Sqrt(t * t + 1);
                    var s = t * c;
                    for (var k = 0; k < n; k++)
                    {
                        var akp = a[k, p];
                        var akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (var k = 0; k < n; k++)
                    {
                        var apk = a[p, k];
                        var aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                    for (var k = 0; k < n; k++)
                    {
                        var vkp = v[k, p];
                        var vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        var order = Enumerable.Range(0, n).OrderByDescending(i => a[i, i]).ThenBy(i => i).ToArray();
        var values = order.Select(i => a[i, i]).ToArray();
        var vectors = order.Select(i => Enumerable.Range(0, n).Select(k => v[k, i]).ToArray()).ToArray();
        return (values, vectors);
    }

    /// <summary>
    /// The <paramref name="count"/> largest eigenpairs (descending) of a symmetric operator on Rⁿ, restricted to
    /// the orthogonal complement of the orthonormal vectors <paramref name="deflate"/> (UMAP passes the known
    /// trivial eigenvector). <paramref name="apply"/> computes y = A x. Lanczos with full re-orthogonalisation
    /// against every basis vector (twice, "twice is enough"), restarted with a fresh random direction when the
    /// Krylov space becomes invariant; the Ritz pairs of the tridiagonal come from <see cref="Jacobi"/>.
    /// Extreme eigenvalues converge first; with near-equal eigenvalues the vectors span the right subspace,
    /// which is all an initial layout needs.
    /// </summary>
    public static (double[] Values, double[][] Vectors) LanczosLargest(int n, Action<double[], double[]> apply, int count, int steps, ulong seed,
        IReadOnlyList<double[]>? deflate = null)
    {
        deflate ??= [];
        var available = n - deflate.Count;
        if (count < 1 || count > available)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"need 1..{available} eigenpairs");
        }
        steps = Math.Clamp(steps, count, available);
        var basis = new List<double[]>(steps);
        var alpha = new double[steps];
        var beta = new double[steps];
        var draws = 0UL;
        var q = RandomOrthogonal(n, seed, ref draws, deflate, basis) ?? throw new InvalidOperationException("no start vector");
        var w = new double[n];
        var m = 0;
        for (; m < steps; m++)
        {
            basis.Add(q);
            apply(q, w);
            alpha[m] = Dot(q, w);
            Axpy(-alpha[m], q, w);
            if (m > 0 && beta[m - 1] != 0)
            {
                Axpy(-beta[m - 1], basis[m - 1], w);
            }
            for (var pass = 0; pass < 2; pass++)
            {
                Orthogonalise(w, deflate);
                Orthogonalise(w, basis);
            }
            if (m == steps - 1)
            {
                m++;
                break;
            }
            var norm = Math.Sqrt(Dot(w, w));
            if (norm > 1e-10 * (Math.Abs(alpha[m]) + (m > 0 ? beta[m - 1] : 0) + 1e-300))
            {
                beta[m] = norm;
                q = new double[n];
                for (var i = 0; i < n; i++)
                {
                    q[i] = w[i] / norm;
                }
            }
            else
            {
                // Invariant subspace found: continue in a new direction (the tridiagonal decouples there).
                beta[m] = 0;
                var fresh = RandomOrthogonal(n, seed, ref draws, deflate, basis);
                if (fresh is null)
                {
                    m++;
                    break;
                }
                q = fresh;
            }
        }
        var t = new double[m, m];
        for (var i = 0; i < m; i++)
        {
            t[i, i] = alpha[i];
            if (i + 1 < m)
            {
                t[i, i + 1] = t[i + 1, i] = beta[i];
            }
        }
        var (ritzValues, ritzVectors) = Jacobi(t);
        var values = new double[count];
        var vectors = new double[count][];
        for (var c = 0; c < count; c++)
        {
            values[c] = ritzValues[c];
            var x = new double[n];
            for (var j = 0; j < m; j++)
            {
                Axpy(ritzVectors[c][j], basis[j], x);
            }
            var norm = Math.Sqrt(Dot(x, x));
            for (var i = 0; i < n; i++)
            {
                x[i] /= norm;
            }
            vectors[c] = x;
        }
        return (values, vectors);
    }

    private static double[]? RandomOrthogonal(int n, ulong seed, ref ulong draws, IReadOnlyList<double[]> deflate, IReadOnlyList<double[]> basis)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var x = new double[n];
            for (var i = 0; i < n; i++)
            {
                x[i] = SeedMixer.ToUnit(SeedMixer.Mix(seed, i, draws)) - 0.5;
            }
            draws++;
            for (var pass = 0; pass < 2; pass++)
            {
                Orthogonalise(x, deflate);
                Orthogonalise(x, basis);
            }
            var norm = Math.Sqrt(Dot(x, x));
            if (norm > 1e-8)
            {
                for (var i = 0; i < n; i++)
                {
                    x[i] /= norm;
                }
                return x;
            }
        }
        return null;
    }

    private static void Orthogonalise(double[] x, IReadOnlyList<double[]> against)
    {
        foreach (var v in against)
        {
            Axpy(-Dot(v, x), v, x);
        }
    }

    internal static double Dot(double[] x, double[] y)
    {
        double s = 0;
        for (var i = 0; i < x.Length; i++)
        {
            s += x[i] * y[i];
        }
        return s;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (var i = 0; i < y.Length; i++)
        {
            y[i] += a * x[i];
        }
    }
}
