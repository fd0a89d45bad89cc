using MlNetRobust.Transforms.Umap;

namespace MlNetRobust.Transforms.Tests.Umap;

public sealed class UmapCurveTests
{
    [Fact]
    public void Fits_umap_learns_known_a_and_b_for_min_dist_0_1_and_spread_1()
    {
        var (a, b) = UmapCurve.FitAB(spread: 1.0, minDist: 0.1);

        Assert.Equal(1.577, a, 0.001);
        Assert.Equal(0.895, b, 0.001);
    }

    // Recorded with umap-learn's find_ab_params (scipy.optimize.curve_fit) on scipy 1.10:
    //   xv = linspace(0, 3 spread, 300); yv = 1 below min_dist, exp(-(x - min_dist) / spread) above.
    [Theory]
    [InlineData(1.0, 0.1, 1.5769434601962196, 0.8950608779914887)]
    [InlineData(1.0, 0.001, 1.9290733952004866, 0.7915045329560677)]
    [InlineData(1.0, 0.0, 1.9328083975546724, 0.7904949734010681)]
    [InlineData(1.0, 0.5, 0.583030020479462, 1.3341669929263487)]
    [InlineData(1.0, 0.99, 0.11930530006447332, 1.9163904159174419)]
    [InlineData(2.0, 0.1, 0.5446605403757238, 0.8420554264219823)]
    [InlineData(0.5, 0.25, 3.7062902044323978, 1.334167247308424)]
    [InlineData(3.0, 1.0, 0.0730786239935076, 1.1488894376688874)]
    public void Fit_matches_scipy_curve_fit(double spread, double minDist, double expectedA, double expectedB)
    {
        var (a, b) = UmapCurve.FitAB(spread, minDist);

        // scipy differentiates numerically and stops at its own tolerance: agree to 1e-5 relative.
        Assert.Equal(expectedA, a, expectedA * 1e-5);
        Assert.Equal(expectedB, b, expectedB * 1e-5);
    }

    [Fact]
    public void Min_dist_above_spread_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UmapCurve.FitAB(spread: 1.0, minDist: 1.5));
    }
}
