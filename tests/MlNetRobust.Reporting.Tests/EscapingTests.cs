using MlNetRobust.Reporting.Charts;

namespace MlNetRobust.Reporting.Tests;

/// <summary>Names come from data (folder names, user configuration): none may turn into markup.</summary>
public sealed class EscapingTests
{
    private const string Hostile = "<script>alert('x')</script> & \"co\"";

    public static TheoryData<string, SvgChart> Charts => new()
    {
        { "line", new LineChart { Title = Hostile, XAxisTitle = Hostile, Series = [LineSeries.PerEpoch(Hostile, [1.0, 2.0])] } },
        { "scatter", new ScatterChart { ClassNames = [Hostile], Panels = [new ScatterPanel(Hostile, [0f], [0f], [0])] } },
        { "confusion", new ConfusionMatrixChart { ClassNames = [Hostile, "ok"], Counts = new[,] { { 1, 2 }, { 3, 4 } } } },
        { "bar", new BarChart { Categories = [Hostile], Series = [new BarSeries(Hostile, [0.5]), new BarSeries("b", [0.4])] } },
    };

    [Theory]
    [MemberData(nameof(Charts))]
    public void A_script_tag_in_a_name_appears_escaped_as_text(string kind, SvgChart chart)
    {
        var svg = chart.ToSvg();
        Assert.DoesNotContain("<script", svg, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", svg, StringComparison.Ordinal);
        var document = Svg.Parse(svg);
        Assert.Empty(document.Descendants(Svg.Ns + "script"));
        Assert.Contains(document.Descendants(Svg.Ns + "text"), t => t.Value.StartsWith("<script>", StringComparison.Ordinal));
        Assert.NotNull(kind);
    }

    [Fact]
    public void Control_characters_are_replaced_so_the_file_stays_well_formed()
    {
        var chart = new BarChart { Categories = ["bad\u0001name\uD800"], Series = [new BarSeries("s", [1.0])] };
        var category = Svg.Parse(chart.ToSvg()).WithClass("category").Single().Value;
        Assert.Equal("bad\uFFFDname\uFFFD", category);
    }
}
