using MlNetRobust.Reporting.Charts;

namespace MlNetRobust.Reporting.Tests;

public sealed class ConfusionMatrixChartTests
{
    private static readonly string[] s_classes = ["cat", "dog", "ship"];

    private static readonly int[,] s_counts =
    {
        { 50, 8, 2 },
        { 10, 40, 0 },
        { 1, 0, 99 },
    };

    private static ConfusionMatrixChart Chart() => new() { Title = "Clean test", ClassNames = s_classes, Counts = s_counts };

    [Fact]
    public void There_is_a_cell_per_class_pair_with_its_count_written_in_it()
    {
        var svg = Svg.Parse(Chart().ToSvg());
        Assert.Equal(9, svg.WithClass("cell").Count);
        Assert.Equal(["50", "8", "2", "10", "40", "0", "1", "0", "99"], svg.WithClass("count").Select(t => t.Value));
    }

    [Fact]
    public void Class_names_label_both_axes()
    {
        var svg = Svg.Parse(Chart().ToSvg());
        Assert.Equal(s_classes, svg.WithClass("row-label").Select(t => t.Value));
        Assert.Equal(s_classes, svg.WithClass("column-label").Select(t => t.Value));
        Assert.Equal(["True", "Predicted"], svg.WithClass("axis-title").Select(t => t.Value));
    }

    [Fact]
    public void Colour_follows_the_share_of_the_row_not_the_raw_count()
    {
        // Rows hold 60, 50 and 100 samples: each cell's colour is its count over its row's total.
        var fills = Svg.Parse(Chart().ToSvg()).WithClass("cell").Select(c => (string)c.Attribute("fill")!).ToList();
        Assert.Equal(Palette.Blues(40.0 / 50), fills[4]);
        Assert.Equal(Palette.Blues(10.0 / 50), fills[3]);
        Assert.Equal(Palette.Blues(50.0 / 60), fills[0]);
        Assert.Equal(Palette.Blues(99.0 / 100), fills[8]);
    }

    [Fact]
    public void A_row_major_array_becomes_a_matrix()
    {
        var matrix = ConfusionMatrixChart.FromRowMajor([1, 2, 3, 4], 2);
        Assert.Equal(3, matrix[1, 0]);
        Assert.Throws<ArgumentException>(() => ConfusionMatrixChart.FromRowMajor([1, 2, 3], 2));
    }

    [Fact]
    public void A_matrix_of_the_wrong_size_is_refused()
    {
        var chart = new ConfusionMatrixChart { ClassNames = ["a", "b"], Counts = s_counts };
        Assert.Throws<ArgumentException>(() => chart.ToSvg());
    }

    [Fact]
    public void The_same_matrix_renders_to_the_same_bytes() => Assert.Equal(Chart().ToSvg(), Chart().ToSvg());
}
