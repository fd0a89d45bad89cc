using System.Text;

namespace MlNetRobust.Reporting.Charts;

/// <summary>A chart that renders itself as a standalone SVG document: fixed size (width/height and a
/// viewBox, so it scales), an accessible <c>&lt;title&gt;</c> and <c>&lt;desc&gt;</c>, escaped text and
/// invariant numbers. Rendering is deterministic: the same chart gives the same bytes.</summary>
public abstract class SvgChart
{
    // Subclasses live in this assembly only: each one's layout is tested here.
    private protected SvgChart()
    {
    }

    /// <summary>Shown above the chart and used as its accessible name.</summary>
    public string? Title { get; init; }

    /// <summary>The accessible description; by default one is written from the data (what is plotted
    /// against what, the series or classes, the ranges).</summary>
    public string? Description { get; init; }

    /// <summary>The chart as an SVG document.</summary>
    public string ToSvg() => Render();

    /// <summary>Writes <see cref="ToSvg"/> to <paramref name="path"/> (UTF-8, no byte-order mark).</summary>
    public void Save(string path) => File.WriteAllText(path, ToSvg(), new UTF8Encoding(false));

    private protected abstract string Render();

    private protected SvgWriter CreateWriter(double width, double height, string kind, string generatedDescription) =>
        new(width, height, Title ?? kind, Description ?? generatedDescription);

    /// <summary>Writes the title at the top left; returns the height it took.</summary>
    private protected double WriteTitle(SvgWriter svg, double x)
    {
        if (string.IsNullOrEmpty(Title))
        {
            return ChartStyle.Margin;
        }

        svg.Text("text", Title, ("class", "chart-title"), ("x", x), ("y", ChartStyle.Margin + ChartStyle.TitleSize),
            ("font-size", ChartStyle.TitleSize), ("font-weight", 600), ("fill", ChartStyle.Ink));
        return ChartStyle.Margin + ChartStyle.TitleSize + 16;
    }
}
