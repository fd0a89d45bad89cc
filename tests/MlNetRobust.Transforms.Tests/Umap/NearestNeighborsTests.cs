using MlNetRobust.Torch;
using MlNetRobust.Transforms.Umap;

namespace MlNetRobust.Transforms.Tests.Umap;

public sealed class NearestNeighborsTests
{
    [Theory]
    [InlineData(UmapMetric.Euclidean)]
    [InlineData(UmapMetric.Cosine)]
    public void Exact_search_matches_a_naive_double_loop(UmapMetric metric)
    {
        const int n = 200, queries = 50, dim = 16, k = 7;
        using var gen = new Generator(11);
        using var reference = torch.randn([n, dim], gen);
        using var query = torch.randn([queries, dim], gen);
        var r = reference.data<float>();
        var q = query.data<float>();
        double Distance(int i, int j)
        {
            double dot = 0, qq = 0, rr = 0, sq = 0;
            for (var c = 0; c < dim; c++)
            {
                double a = q[i * dim + c], b = r[j * dim + c];
                (dot, qq, rr, sq) = (dot + a * b, qq + a * a, rr + b * b, sq + (a - b) * (a - b));
            }
            return metric == UmapMetric.Cosine ? 1 - dot / Math.Sqrt(qq * rr) : Math.Sqrt(sq);
        }
        using var referenceSet = PointSet.Create(reference, metric);
        using var querySet = PointSet.Create(query, metric);

        var knn = ExactNearestNeighbors.Search(referenceSet, querySet, k);

        for (var i = 0; i < queries; i++)
        {
            var expected = Enumerable.Range(0, n).Select(j => (Index: j, Distance: Distance(i, j))).OrderBy(p => p.Distance).Take(k).ToArray();
            Assert.Equal(expected.Select(p => p.Index), knn.Indices.Skip(i * k).Take(k));
            for (var j = 0; j < k; j++)
            {
                Assert.Equal(expected[j].Distance, knn.Distances[i * k + j], 1e-5);
            }
        }
    }

    [Fact]
    public void A_training_point_is_its_own_first_neighbour_even_with_a_duplicate()
    {
        var values = new float[] { 0, 0, 1, 1, 0, 0, 5, 5, 1, 1.1f };   // rows 0 and 2 coincide
        using var tensor = torch.tensor(values, 5, 2);
        using var points = PointSet.Create(tensor, UmapMetric.Euclidean);

        var knn = ExactNearestNeighbors.Search(points, points, 3, queriesAreReference: true);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(i, knn.Indices[i * 3]);
            Assert.Equal(0, knn.Distances[i * 3]);
        }
        Assert.Equal(2, knn.Indices[0 * 3 + 1]);
        Assert.Equal(0, knn.Distances[0 * 3 + 1]);
    }
}
