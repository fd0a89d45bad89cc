using System.Globalization;
using System.Text;

namespace MlNetRobust.Reporting.Charts;

/// <summary>Scatter maps coloured by class (UMAP of embeddings), one or several side by side as small
/// multiples (train / test / perturbed test) sharing one colour legend.</summary>
/// <remarks>Stays light for large maps: each class of a panel is a single <c>&lt;path&gt;</c> of
/// zero-length segments drawn with round caps (a dot each), coordinates with one decimal — about 12
/// bytes a point, so 10,000 points make roughly 130 kB. Classes are drawn in index order, so where
/// they overlap the later class is on top.</remarks>
/// <example><code>
/// var chart = new ScatterChart
/// {
///     Title = "UMAP of embeddings", ClassNames = classes,
///     Panels = [ScatterPanel.FromPairs("train", trainXy, trainLabels), ScatterPanel.FromPairs("test", testXy, testLabels)],
/// };
/// </code></example>
public sealed class ScatterChart : SvgChart
{
    /// <summary>Class names, indexed by the panels' labels; they make the legend.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    public required IReadOnlyList<ScatterPanel> Panels { get; init; }

    /// <summary>Panels per row; by default all of them, up to 3.</summary>
    public int? Columns { get; init; }

    /// <summary>The side of each (square) panel.</summary>
    public double PanelSize { get; init; } = 300;

    /// <summary>Gives every panel the same axis ranges (maps from one fitted projection, so shifts
    /// between them show); otherwise each panel fits its own points.</summary>
    public bool SharedAxes { get; init; } = true;

    /// <summary>Draws tick labels around each panel. Off by default: UMAP coordinates carry no units.</summary>
    public bool ShowTicks { get; init; }

    /// <summary>The dot diameter; by default smaller as panels get denser.</summary>
    public double? PointSize { get; init; }

    /// <summary>Dot opacity, so dense regions read darker.</summary>
    public double Opacity { get; init; } = 0.75;

    private protected override string Render()
    {
        Validate();
        var columns = Math.Max(1, Columns ?? Math.Min(3, Panels.Count));
        var rows = (Panels.Count + columns - 1) / columns;
        const double Gap = 20;
        const double PanelTitle = 22;
        var tickRoom = ShowTicks ? 34 : 0.0;
        var legendWidth = LegendPainter.Width(ClassNames) + 24;

        var shared = SharedAxes ? Extent(Panels) : default;
        var gridWidth = columns * (PanelSize + tickRoom) + (columns - 1) * Gap;
        var width = ChartStyle.Margin * 2 + gridWidth + legendWidth;
        var titleHeight = string.IsNullOrEmpty(Title) ? ChartStyle.Margin : ChartStyle.Margin + ChartStyle.TitleSize + 16;
        var gridHeight = rows * (PanelSize + PanelTitle + (ShowTicks ? 20 : 0)) + (rows - 1) * Gap;
        var legendHeight = LegendPainter.Height(ClassNames.Count + 1);
        var height = titleHeight + Math.Max(gridHeight, legendHeight) + ChartStyle.Margin;

        var svg = CreateWriter(width, height, "Scatter plot", Describe());
        WriteTitle(svg, ChartStyle.Margin);
        for (var p = 0; p < Panels.Count; p++)
        {
            var left = ChartStyle.Margin + tickRoom + p % columns * (PanelSize + tickRoom + Gap);
            var top = titleHeight + p / columns * (PanelSize + PanelTitle + (ShowTicks ? 20 : 0) + Gap) + PanelTitle;
            var plot = new PlotArea(left, top, left + PanelSize, top + PanelSize);
            DrawPanel(svg, Panels[p], plot, SharedAxes ? shared : Extent([Panels[p]]));
        }

        var legend = ClassNames.Select((name, i) => (name, Palette.Category(i), LegendMarker.Dot)).ToList();
        LegendPainter.Draw(svg, width - ChartStyle.Margin - legendWidth + 24, titleHeight + PanelTitle, legend, heading: "Class");
        return svg.Finish();
    }

    private void DrawPanel(SvgWriter svg, ScatterPanel panel, PlotArea plot, (AxisTicks X, AxisTicks Y) axes)
    {
        svg.Start("g", ("class", "panel"));
        svg.Text("text", panel.Title, ("class", "panel-title"), ("x", (plot.Left + plot.Right) / 2), ("y", plot.Top - 8),
            ("text-anchor", "middle"), ("font-size", 13), ("font-weight", 600), ("fill", ChartStyle.Ink));
        svg.Element("rect", ("x", plot.Left), ("y", plot.Top), ("width", plot.Width), ("height", plot.Height),
            ("fill", "#fbfbfc"), ("stroke", ChartStyle.Grid));
        if (ShowTicks)
        {
            AxisPainter.X(svg, plot, axes.X, NumberFormat.General, null);
            AxisPainter.Y(svg, plot, axes.Y, NumberFormat.General, null, grid: false);
        }

        // Dots stay inside the frame: the data range maps onto the panel less a small inset.
        var inset = 6.0;
        var xScale = new LinearScale(axes.X.Min, axes.X.Max, plot.Left + inset, plot.Right - inset);
        var yScale = new LinearScale(axes.Y.Min, axes.Y.Max, plot.Bottom - inset, plot.Top + inset);
        var size = PointSize ?? AutoPointSize(panel.X.Count);
        var paths = new StringBuilder[ClassNames.Count];
        for (var i = 0; i < panel.X.Count; i++)
        {
            float x = panel.X[i], y = panel.Y[i];
            if (!float.IsFinite(x) || !float.IsFinite(y))
            {
                continue;
            }

            var d = paths[panel.Labels[i]] ??= new StringBuilder();
            d.Append('M');
            SvgWriter.AppendTenths(d, xScale.Map(x));
            d.Append(' ');
            SvgWriter.AppendTenths(d, yScale.Map(y));
            d.Append("h0");
        }

        svg.Start("g", ("class", "points"), ("fill", "none"), ("stroke-linecap", "round"), ("stroke-width", size),
            ("stroke-opacity", Opacity));
        for (var c = 0; c < paths.Length; c++)
        {
            if (paths[c] is { } d)
            {
                svg.Element("path", ("class", "class-points"), ("stroke", Palette.Category(c)), ("d", d.ToString()));
            }
        }

        svg.End();
        svg.End();
    }

    private static double AutoPointSize(int count) => count switch
    {
        <= 300 => 5,
        <= 2000 => 3.5,
        <= 8000 => 2.5,
        _ => 2,
    };

    // The range of the panels' finite points: nice ticks when they are shown, else the tight range
    // (so the points fill the panel).
    private (AxisTicks X, AxisTicks Y) Extent(IEnumerable<ScatterPanel> panels)
    {
        double minX = double.PositiveInfinity, maxX = double.NegativeInfinity;
        double minY = double.PositiveInfinity, maxY = double.NegativeInfinity;
        foreach (var panel in panels)
        {
            for (var i = 0; i < panel.X.Count; i++)
            {
                float x = panel.X[i], y = panel.Y[i];
                if (float.IsFinite(x) && float.IsFinite(y))
                {
                    (minX, maxX) = (Math.Min(minX, x), Math.Max(maxX, x));
                    (minY, maxY) = (Math.Min(minY, y), Math.Max(maxY, y));
                }
            }
        }

        if (ShowTicks || minX > maxX)
        {
            return (NiceScale.Compute(minX, maxX, 5), NiceScale.Compute(minY, maxY, 5));
        }

        return (Tight(minX, maxX), Tight(minY, maxY));
    }

    private static AxisTicks Tight(double min, double max) =>
        min == max ? new AxisTicks(min - 1, max + 1, 0, []) : new AxisTicks(min, max, 0, []);

    private void Validate()
    {
        if (Panels.Count == 0)
        {
            throw new ArgumentException("a scatter chart needs at least one panel");
        }

        foreach (var panel in Panels)
        {
            if (panel.X.Count != panel.Y.Count || panel.X.Count != panel.Labels.Count)
            {
                throw new ArgumentException(
                    $"panel '{panel.Title}' has {panel.X.Count} x, {panel.Y.Count} y and {panel.Labels.Count} labels; they must match");
            }

            foreach (var label in panel.Labels)
            {
                if ((uint)label >= (uint)ClassNames.Count)
                {
                    throw new ArgumentException($"panel '{panel.Title}' has label {label}, but there are {ClassNames.Count} class names");
                }
            }
        }
    }

    private string Describe()
    {
        var c = CultureInfo.InvariantCulture;
        var panels = string.Join("; ", Panels.Select(p => string.Create(c, $"{p.Title} ({p.X.Count} points)")));
        return $"Scatter plot coloured by class, {Panels.Count} panel(s): {panels}. Classes: {string.Join(", ", ClassNames)}.";
    }
}
