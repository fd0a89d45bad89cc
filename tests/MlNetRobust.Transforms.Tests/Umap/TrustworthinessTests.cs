using MlNetRobust.Torch;
using MlNetRobust.Transforms.Umap;

namespace MlNetRobust.Transforms.Tests.Umap;

public sealed class TrustworthinessTests
{
    private const int N = 40;
    private const int Dim = 6;

    // The same formulas as make_trustworthiness_reference.py.
    private static double[] InputValues() =>
        Enumerable.Range(0, N * Dim).Select(v => Math.Sin(0.37 * (v / Dim) * (v % Dim + 1) + 0.11 * (v % Dim)) + 0.05 * (v % Dim)).ToArray();

    private static double[] MapValues(double[] x) =>
        Enumerable.Range(0, N).SelectMany(i => new[] { x[i * Dim] + 0.3 * Math.Cos(1.7 * i), x[i * Dim + 1] - 0.2 * Math.Sin(2.3 * i) }).ToArray();

    // sklearn.manifold.trustworthiness values printed by make_trustworthiness_reference.py (scikit-learn 1.2.1).
    [Theory]
    [InlineData(UmapMetric.Euclidean, 5, 0.788125)]
    [InlineData(UmapMetric.Euclidean, 10, 0.7294897959183673)]
    [InlineData(UmapMetric.Cosine, 5, 0.8059375)]
    [InlineData(UmapMetric.Cosine, 10, 0.7237755102040816)]
    public void Matches_sklearn(UmapMetric metric, int k, double expected)
    {
        var x = InputValues();
        using var input = torch.tensor(x, N, Dim);
        using var map = torch.tensor(MapValues(x), N, 2);

        Assert.Equal(expected, Trustworthiness.Compute(input, map, k, metric), 1e-12);
    }

    [Fact]
    public void Is_one_for_a_map_that_keeps_every_neighbourhood()
    {
        var x = InputValues();
        using var input = torch.tensor(x, N, Dim);
        using var scaled = input.mul(3.0);

        Assert.Equal(1.0, Trustworthiness.Compute(input, scaled, 5), 1e-12);
    }

    [Fact]
    public void Refuses_k_of_half_the_points_or_more()
    {
        using var input = torch.zeros(10, 3);
        using var map = torch.zeros(10, 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => Trustworthiness.Compute(input, map, 5));
    }
}
