using System.Text;
using MlNetRobust.Reporting.Charts;
using Xunit.Abstractions;

namespace MlNetRobust.Reporting.Tests;

public sealed class ScatterChartTests(ITestOutputHelper output)
{
    private static readonly string[] s_classes = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Gaussian blobs, one per class (a UMAP-like map), seeded.</summary>
    internal static ScatterPanel Blobs(string title, int count, int seed, float shift = 0)
    {
        var random = new Random(seed);
        var x = new float[count];
        var y = new float[count];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var c = i % 10;
            var angle = c * Math.PI * 2 / 10;
            var spread = 1.1 + shift;
            x[i] = (float)(Math.Cos(angle) * 8 + Gaussian(random) * spread);
            y[i] = (float)(Math.Sin(angle) * 8 + Gaussian(random) * spread);
            labels[i] = c;
        }

        return new ScatterPanel(title, x, y, labels);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void Ten_thousand_points_stay_well_under_the_size_budget()
    {
        var chart = new ScatterChart { Title = "UMAP", ClassNames = s_classes, Panels = [Blobs("test", 10_000, 1)] };
        var bytes = Encoding.UTF8.GetByteCount(chart.ToSvg());
        output.WriteLine($"10,000 points: {bytes:N0} bytes");
        Assert.InRange(bytes, 1, 250_000);
    }

    [Fact]
    public void Each_class_of_a_panel_is_one_path_with_a_dot_per_point()
    {
        var panel = Blobs("train", 500, 2);
        var svg = Svg.Parse(new ScatterChart { ClassNames = s_classes, Panels = [panel] }.ToSvg());
        var paths = svg.WithClass("class-points");
        Assert.Equal(10, paths.Count);
        Assert.Equal(500, paths.Sum(p => ((string)p.Attribute("d")!).Split('M', StringSplitOptions.RemoveEmptyEntries).Length));
        Assert.Equal(Palette.Tableau10, paths.Select(p => (string)p.Attribute("stroke")!));
    }

    [Fact]
    public void Side_by_side_panels_share_one_legend_with_every_class()
    {
        var chart = new ScatterChart
        {
            ClassNames = s_classes,
            Panels = [Blobs("train", 300, 1), Blobs("test", 300, 2), Blobs("perturbed test", 300, 3, shift: 1)],
        };
        var svg = Svg.Parse(chart.ToSvg());
        Assert.Equal(3, svg.WithClass("panel").Count);
        Assert.Equal(["train", "test", "perturbed test"], svg.WithClass("panel-title").Select(t => t.Value));
        Assert.Single(svg.WithClass("legend"));
        Assert.Equal(s_classes, svg.WithClass("legend-entry").Select(e => e.Value));
    }

    [Fact]
    public void Shared_axes_map_a_value_to_the_same_place_in_every_panel()
    {
        // Panel a reaches 10, panel b only 5: with shared axes b's 5 sits mid-panel, with its own axes
        // at the panel's edge, just where a's 10 is.
        var a = new ScatterPanel("a", [0f, 10f], [0f, 10f], [0, 1]);
        var b = new ScatterPanel("b", [0f, 5f], [0f, 5f], [0, 1]);
        static double XOfClass1(ScatterChart chart, int panel)
        {
            var d = Svg.Parse(chart.ToSvg()).WithClass("panel")[panel].WithClass("class-points")[1].Attribute("d")!.Value;
            return double.Parse(d[1..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }

        var shared = new ScatterChart { ClassNames = ["x", "y"], Panels = [a, b], Columns = 1 };
        Assert.NotEqual(XOfClass1(shared, 0), XOfClass1(shared, 1));
        var separate = new ScatterChart { ClassNames = ["x", "y"], Panels = [a, b], Columns = 1, SharedAxes = false };
        Assert.Equal(XOfClass1(separate, 0), XOfClass1(separate, 1));
    }

    [Fact]
    public void A_label_without_a_class_name_is_refused()
    {
        var chart = new ScatterChart { ClassNames = ["a"], Panels = [new ScatterPanel("p", [0f], [0f], [3])] };
        Assert.Throws<ArgumentException>(() => chart.ToSvg());
    }

    [Fact]
    public void Pairs_from_an_n_by_2_embedding_split_into_x_and_y()
    {
        var panel = ScatterPanel.FromPairs("umap", [1f, 2f, 3f, 4f], [0, 1]);
        Assert.Equal([1f, 3f], panel.X);
        Assert.Equal([2f, 4f], panel.Y);
    }

    [Fact]
    public void The_same_map_renders_to_the_same_bytes()
    {
        ScatterChart Chart() => new() { ClassNames = s_classes, Panels = [Blobs("test", 2000, 7)] };
        Assert.Equal(Chart().ToSvg(), Chart().ToSvg());
    }
}
