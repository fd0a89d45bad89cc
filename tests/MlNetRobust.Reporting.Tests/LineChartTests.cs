using MlNetRobust.Reporting.Charts;

namespace MlNetRobust.Reporting.Tests;

public sealed class LineChartTests
{
    private static LineChart Accuracy() => new()
    {
        Title = "Accuracy",
        XAxisTitle = "Epoch",
        YAxisTitle = "Accuracy",
        YMin = 0,
        YMax = 1,
        Series =
        [
            LineSeries.PerEpoch("train", [0.31, 0.52, 0.64, 0.71, 0.77]),
            LineSeries.PerEpoch("validation", [0.29, 0.47, 0.58, 0.61, 0.63]) with { Dashed = true },
        ],
    };

    [Fact]
    public void A_zero_to_one_axis_is_labelled_0_0point2_up_to_1()
    {
        var svg = Svg.Parse(Accuracy().ToSvg());
        Assert.Equal(["0", "0.2", "0.4", "0.6", "0.8", "1"], svg.TickLabels("y-axis"));
    }

    [Fact]
    public void Whole_number_x_values_get_whole_number_ticks()
    {
        var labels = Svg.Parse(Accuracy().ToSvg()).TickLabels("x-axis");
        Assert.Equal(["1", "2", "3", "4", "5"], labels);
    }

    [Fact]
    public void The_legend_lists_the_series_in_order()
    {
        var svg = Svg.Parse(Accuracy().ToSvg());
        Assert.Equal(["train", "validation"], svg.WithClass("legend-entry").Select(e => e.Value));
        Assert.Equal(2, svg.WithClass("line").Count);
    }

    [Fact]
    public void It_has_an_accessible_title_and_description_first()
    {
        var root = Svg.Parse(Accuracy().ToSvg()).Root!;
        var first = root.Elements().Take(2).ToList();
        Assert.Equal(["title", "desc"], first.Select(e => e.Name.LocalName));
        Assert.Equal("Accuracy", first[0].Value);
        Assert.Contains("train (5 points)", first[1].Value, StringComparison.Ordinal);
        Assert.Equal("img", (string?)root.Attribute("role"));
    }

    [Fact]
    public void Percent_formatted_axes_write_percentages()
    {
        var chart = new LineChart { Series = Accuracy().Series, YMin = 0, YMax = 1, YFormat = NumberFormat.Percent(0) };
        Assert.Equal(["0%", "20%", "40%", "60%", "80%", "100%"], Svg.Parse(chart.ToSvg()).TickLabels("y-axis"));
    }

    [Fact]
    public void A_missing_value_breaks_the_line_instead_of_joining_across_it()
    {
        var chart = new LineChart { Series = [LineSeries.PerEpoch("validation", [1.0, double.NaN, 0.5, 0.4])] };
        var path = (string)Svg.Parse(chart.ToSvg()).WithClass("line").Single().Elements().First().Attribute("d")!;
        Assert.Equal(2, path.Count(c => c == 'M'));
        Assert.Equal(1, path.Count(c => c == 'L'));
    }

    [Fact]
    public void The_same_chart_renders_to_the_same_bytes()
    {
        Assert.Equal(Accuracy().ToSvg(), Accuracy().ToSvg());
    }

    [Fact]
    public void Mismatched_x_and_y_lengths_are_refused_naming_the_series()
    {
        var chart = new LineChart { Series = [new LineSeries("loss", [1, 2, 3], [0.5, 0.4])] };
        var error = Assert.Throws<ArgumentException>(() => chart.ToSvg());
        Assert.Contains("'loss'", error.Message, StringComparison.Ordinal);
    }
}
