namespace MlNetRobust.Transforms.Umap;

/// <summary>
/// UMAP's spectral initialisation (umap-learn's <c>spectral_layout</c> and <c>multi_component_layout</c>): the
/// eigenvectors of the symmetric normalised Laplacian L = I − D^(−½) W D^(−½) for the smallest non-trivial
/// eigenvalues, i.e. of D^(−½) W D^(−½) for the largest ones after removing the trivial D^(½)·1, found by
/// <see cref="SymmetricEigen.LanczosLargest"/> on the sparse graph.
///
/// A graph with several connected components (well separated clusters give one per cluster) is laid out as
/// umap-learn does: each component gets an anchor — ±e₁, ±e₂ for up to four components, otherwise the
/// components' centroids projected on their first two principal axes (umap-learn embeds the centroids
/// spectrally with exp(−d²) affinities, which underflow for typical embedding distances; PCA keeps the same
/// intent and cannot degenerate) — and is embedded spectrally around its anchor, scaled to half the distance
/// to the nearest other anchor. Components too small for an eigenproblem (fewer than 4 points), or whose
/// solve fails, are placed uniformly at random in that box, as umap-learn falls back to random.
/// </summary>
internal static class SpectralLayout
{
    public const int Dimensions = 2;
    private const int LanczosSteps = 100;

    /// <summary>Coordinates [N, 2] row-major (unscaled: the caller normalises them).</summary>
    public static double[] Compute(SparseGraph graph, PointSet data, ulong seed)
    {
        var n = graph.N;
        var (labels, count) = ConnectedComponents(graph);
        var members = new List<int>[count];
        for (var c = 0; c < count; c++)
        {
            members[c] = [];
        }
        for (var i = 0; i < n; i++)
        {
            members[labels[i]].Add(i);
        }
        // Each vertex's position within its component, so a component's operator can index its own vectors.
        var localIndex = new int[n];
        foreach (var component in members)
        {
            for (var i = 0; i < component.Count; i++)
            {
                localIndex[component[i]] = i;
            }
        }
        var result = new double[n * Dimensions];
        if (count == 1)
        {
            var vectors = Eigenvectors(graph, members[0], localIndex, SeedMixer.Mix(seed, 0, 1));
            if (vectors is not null)
            {
                return vectors;
            }
            RandomBox(members[0], [0, 0], 10, seed, result);
            return result;
        }

        var anchors = Anchors(members, data, seed);
        for (var c = 0; c < count; c++)
        {
            var range = double.PositiveInfinity;
            for (var o = 0; o < count; o++)
            {
                var d = Math.Sqrt(Square(anchors[c][0] - anchors[o][0]) + Square(anchors[c][1] - anchors[o][1]));
                if (d > 0)
                {
                    range = Math.Min(range, d / 2);
                }
            }
            range = double.IsFinite(range) ? range : 1;
            var vectors = members[c].Count >= 2 * Dimensions ? Eigenvectors(graph, members[c], localIndex, SeedMixer.Mix(seed, c, 1)) : null;
            if (vectors is null)
            {
                RandomBox(members[c], anchors[c], range, seed, result);
                continue;
            }
            var expansion = range / vectors.Max(Math.Abs);
            for (var local = 0; local < members[c].Count; local++)
            {
                for (var d = 0; d < Dimensions; d++)
                {
                    result[members[c][local] * Dimensions + d] = vectors[local * Dimensions + d] * expansion + anchors[c][d];
                }
            }
        }
        return result;
    }

    /// <summary>Component label per vertex (numbered by lowest vertex) and the number of components.</summary>
    public static (int[] Labels, int Count) ConnectedComponents(SparseGraph graph)
    {
        var parent = Enumerable.Range(0, graph.N).ToArray();
        int Find(int i)
        {
            while (parent[i] != i)
            {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            return i;
        }
        for (var i = 0; i < graph.N; i++)
        {
            for (var e = graph.RowStart[i]; e < graph.RowStart[i + 1]; e++)
            {
                var (ri, rj) = (Find(i), Find(graph.Columns[e]));
                if (ri != rj)
                {
                    parent[Math.Max(ri, rj)] = Math.Min(ri, rj);
                }
            }
        }
        var labels = new int[graph.N];
        var byRoot = new Dictionary<int, int>();
        for (var i = 0; i < graph.N; i++)
        {
            var root = Find(i);
            if (!byRoot.TryGetValue(root, out var label))
            {
                label = byRoot.Count;
                byRoot[root] = label;
            }
            labels[i] = label;
        }
        return (labels, byRoot.Count);
    }

    /// <summary>The two leading non-trivial eigenvectors of one component's normalised adjacency, [m, 2] row-major; null if the solve fails.</summary>
    private static double[]? Eigenvectors(SparseGraph graph, List<int> vertices, int[] localIndex, ulong seed)
    {
        var m = vertices.Count;
        if (m <= Dimensions + 1)
        {
            return null;
        }
        var invSqrtDegree = new double[m];
        var trivial = new double[m];
        for (var i = 0; i < m; i++)
        {
            double degree = 0;
            var v = vertices[i];
            for (var e = graph.RowStart[v]; e < graph.RowStart[v + 1]; e++)
            {
                degree += graph.Weights[e];
            }
            invSqrtDegree[i] = 1 / Math.Sqrt(degree);
            trivial[i] = Math.Sqrt(degree);
        }
        var norm = Math.Sqrt(SymmetricEigen.Dot(trivial, trivial));
        for (var i = 0; i < m; i++)
        {
            trivial[i] /= norm;
        }
        void Apply(double[] x, double[] y)
        {
            Parallel.For(0, m, i =>
            {
                var v = vertices[i];
                double sum = 0;
                for (var e = graph.RowStart[v]; e < graph.RowStart[v + 1]; e++)
                {
                    var j = localIndex[graph.Columns[e]];
                    sum += graph.Weights[e] * invSqrtDegree[j] * x[j];
                }
                y[i] = sum * invSqrtDegree[i];
            });
        }
        try
        {
            var (_, vectors) = SymmetricEigen.LanczosLargest(m, Apply, Dimensions, LanczosSteps, seed, [trivial]);
            var result = new double[m * Dimensions];
            for (var i = 0; i < m; i++)
            {
                for (var d = 0; d < Dimensions; d++)
                {
                    result[i * Dimensions + d] = vectors[d][i];
                }
            }
            return result.All(double.IsFinite) && result.Any(v => v != 0) ? result : null;
        }
        catch (ArithmeticException)
        {
            return null;
        }
    }

    /// <summary>Anchor positions of the components (umap-learn's meta-embedding), largest coordinate 1.</summary>
    private static double[][] Anchors(List<int>[] members, PointSet data, ulong seed)
    {
        var count = members.Length;
        if (count <= 2 * Dimensions)
        {
            // umap-learn: the first ceil(c/2) unit vectors, then their negatives.
            var half = (count + 1) / 2;
            return Enumerable.Range(0, count).Select(c =>
            {
                var anchor = new double[Dimensions];
                anchor[c % half] = c < half ? 1 : -1;
                return anchor;
            }).ToArray();
        }
        var dim = data.Dimension;
        var centroids = new double[count][];
        var mean = new double[dim];
        for (var c = 0; c < count; c++)
        {
            centroids[c] = new double[dim];
            foreach (var i in members[c])
            {
                for (var d = 0; d < dim; d++)
                {
                    centroids[c][d] += data.Data[i * dim + d];
                }
            }
            for (var d = 0; d < dim; d++)
            {
                centroids[c][d] /= members[c].Count;
                mean[d] += centroids[c][d] / count;
            }
        }
        foreach (var centroid in centroids)
        {
            for (var d = 0; d < dim; d++)
            {
                centroid[d] -= mean[d];
            }
        }
        // Principal components of the centroids through their Gram matrix C Cᵀ (count × count).
        void Gram(double[] x, double[] y)
        {
            var t = new double[dim];
            for (var c = 0; c < count; c++)
            {
                for (var d = 0; d < dim; d++)
                {
                    t[d] += centroids[c][d] * x[c];
                }
            }
            for (var c = 0; c < count; c++)
            {
                y[c] = 0;
                for (var d = 0; d < dim; d++)
                {
                    y[c] += centroids[c][d] * t[d];
                }
            }
        }
        var (values, vectors) = SymmetricEigen.LanczosLargest(count, Gram, Dimensions, LanczosSteps, SeedMixer.Mix(seed, 0, 2));
        var anchors = Enumerable.Range(0, count)
            .Select(c => Enumerable.Range(0, Dimensions).Select(d => vectors[d][c] * Math.Sqrt(Math.Max(values[d], 0))).ToArray()).ToArray();
        var scale = anchors.Max(a => a.Max(Math.Abs));
        if (!(scale > 0) || !double.IsFinite(scale))
        {
            // Coinciding centroids: spread the anchors on a circle instead.
            return Enumerable.Range(0, count).Select(c => new[] { Math.Cos(2 * Math.PI * c / count), Math.Sin(2 * Math.PI * c / count) }).ToArray();
        }
        foreach (var anchor in anchors)
        {
            for (var d = 0; d < Dimensions; d++)
            {
                anchor[d] /= scale;
            }
        }
        return anchors;
    }

    private static void RandomBox(List<int> vertices, double[] center, double range, ulong seed, double[] result)
    {
        foreach (var i in vertices)
        {
            for (var d = 0; d < Dimensions; d++)
            {
                var u = SeedMixer.ToUnit(SeedMixer.Mix(seed, i, 10 + (ulong)d));
                result[i * Dimensions + d] = center[d] + (2 * u - 1) * range;
            }
        }
    }

    private static double Square(double x) => x * x;
}
