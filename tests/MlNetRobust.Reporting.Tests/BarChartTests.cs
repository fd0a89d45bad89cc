using MlNetRobust.Reporting.Charts;

namespace MlNetRobust.Reporting.Tests;

public sealed class BarChartTests
{
    internal static readonly string[] Corruptions = ["gaussian_noise", "shot_noise", "defocus_blur", "fog", "jpeg_compression"];

    private static BarChart PerSeverity() => new()
    {
        Title = "Accuracy per corruption and severity",
        YAxisTitle = "Accuracy",
        YMax = 1,
        ValueFormat = NumberFormat.Percent(0),
        Categories = Corruptions,
        Series = Enumerable.Range(1, 5)
            .Select(s => new BarSeries($"severity {s}", Corruptions.Select((_, c) => 0.9 - 0.1 * s - 0.03 * c).ToArray()))
            .ToArray(),
        ReferenceLines = [new ReferenceLine("clean", 0.91)],
    };

    [Fact]
    public void Grouped_bars_draw_one_bar_per_category_and_series()
    {
        var svg = Svg.Parse(PerSeverity().ToSvg());
        Assert.Equal(25, svg.WithClass("bar").Count);
        Assert.Equal(Enumerable.Range(1, 5).Select(s => $"severity {s}"), svg.WithClass("legend-entry").Select(e => e.Value));
        Assert.Equal(Corruptions, svg.WithClass("category").Select(e => e.Value));
    }

    [Fact]
    public void A_single_series_has_no_legend_and_labels_each_bar_with_its_value()
    {
        var chart = new BarChart
        {
            Categories = ["fog", "snow"],
            Series = [new BarSeries("accuracy", [0.5, 0.25])],
            ValueFormat = NumberFormat.Percent(0),
        };
        var svg = Svg.Parse(chart.ToSvg());
        Assert.Empty(svg.WithClass("legend"));
        Assert.Equal(["50%", "25%"], svg.WithClass("value").Select(v => v.Value));
    }

    [Fact]
    public void Missing_values_leave_out_their_bar()
    {
        var chart = new BarChart { Categories = ["a", "b", "c"], Series = [new BarSeries("s", [0.5, double.NaN, 0.2])] };
        Assert.Equal(2, Svg.Parse(chart.ToSvg()).WithClass("bar").Count);
    }

    [Fact]
    public void A_reference_line_is_drawn_with_its_label_and_value()
    {
        var reference = Svg.Parse(PerSeverity().ToSvg()).WithClass("reference").Single();
        Assert.Equal("clean 91%", reference.Value);
    }

    [Fact]
    public void Bars_grow_from_zero_so_their_heights_compare()
    {
        var svg = Svg.Parse(new BarChart { Categories = ["a", "b"], Series = [new BarSeries("s", [0.8, 0.4])] }.ToSvg());
        var heights = svg.WithClass("bar").Select(b => double.Parse((string)b.Attribute("height")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, heights[0] / heights[1], 2);
        Assert.Equal("0", svg.TickLabels("y-axis")[0]);
    }

    [Fact]
    public void The_same_bars_render_to_the_same_bytes() => Assert.Equal(PerSeverity().ToSvg(), PerSeverity().ToSvg());
}
