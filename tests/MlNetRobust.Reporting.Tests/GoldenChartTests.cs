using MlNetRobust.Reporting.Charts;

namespace MlNetRobust.Reporting.Tests;

/// <summary>Pins the exact output of one small chart, so any change to layout, style or number
/// formatting shows up as a reviewable diff (see <see cref="GoldenFile"/> for how to accept one).</summary>
public sealed class GoldenChartTests
{
    [Fact]
    public void A_small_bar_chart_matches_its_verified_svg()
    {
        var chart = new BarChart
        {
            Title = "Accuracy per corruption",
            YAxisTitle = "Accuracy",
            YMax = 1,
            ValueFormat = NumberFormat.Percent(0),
            Categories = ["fog", "snow", "blur"],
            Series = [new BarSeries("accuracy", [0.82, 0.61, 0.47])],
            ReferenceLines = [new ReferenceLine("clean", 0.9)],
        };
        GoldenFile.Verify("bar-chart", "svg", chart.ToSvg());
    }
}
