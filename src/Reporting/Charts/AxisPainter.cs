namespace MlNetRobust.Reporting.Charts;

/// <summary>Draws numeric axes: light grid lines, tick labels, an axis title. Tick labels carry
/// <c>class="tick"</c> so tests (and CSS) can find them.</summary>
internal static class AxisPainter
{
    /// <summary>How much room the labels of a y axis need left of the plot (labels, gap, title).</summary>
    public static double YAxisWidth(AxisTicks ticks, NumberFormat format, string? title) =>
        TextMetrics.MaxWidth(ticks.Values.Select(v => format.FormatTick(v, ticks.Step)), ChartStyle.LabelSize) + 8
        + (string.IsNullOrEmpty(title) ? 0 : ChartStyle.AxisTitleSize + 10);

    /// <summary>How much room an x axis needs below the plot.</summary>
    public static double XAxisHeight(string? title) => 22 + (string.IsNullOrEmpty(title) ? 0 : ChartStyle.AxisTitleSize + 10);

    public static void Y(SvgWriter svg, PlotArea plot, AxisTicks ticks, NumberFormat format, string? title, bool grid = true)
    {
        var scale = new LinearScale(ticks.Min, ticks.Max, plot.Bottom, plot.Top);
        svg.Start("g", ("class", "y-axis"), ("font-size", ChartStyle.LabelSize), ("fill", ChartStyle.Muted), ("text-anchor", "end"));
        foreach (var value in ticks.Values)
        {
            var y = scale.Map(value);
            if (grid)
            {
                svg.Element("line", ("x1", plot.Left), ("x2", plot.Right), ("y1", y), ("y2", y), ("stroke", ChartStyle.Grid));
            }

            svg.Text("text", format.FormatTick(value, ticks.Step), ("class", "tick"), ("x", plot.Left - 8), ("y", y), ("dy", "0.32em"));
        }

        if (!string.IsNullOrEmpty(title))
        {
            var labelWidth = TextMetrics.MaxWidth(ticks.Values.Select(v => format.FormatTick(v, ticks.Step)), ChartStyle.LabelSize);
            var x = plot.Left - 8 - labelWidth - 10;
            var cy = (plot.Top + plot.Bottom) / 2;
            svg.Text("text", title, ("class", "axis-title"), ("transform", $"translate({SvgWriter.Num(x)} {SvgWriter.Num(cy)}) rotate(-90)"),
                ("text-anchor", "middle"), ("font-size", ChartStyle.AxisTitleSize), ("fill", ChartStyle.Ink));
        }

        svg.End();
    }

    public static void X(SvgWriter svg, PlotArea plot, AxisTicks ticks, NumberFormat format, string? title, bool grid = false)
    {
        var scale = new LinearScale(ticks.Min, ticks.Max, plot.Left, plot.Right);
        svg.Start("g", ("class", "x-axis"), ("font-size", ChartStyle.LabelSize), ("fill", ChartStyle.Muted), ("text-anchor", "middle"));
        svg.Element("line", ("x1", plot.Left), ("x2", plot.Right), ("y1", plot.Bottom), ("y2", plot.Bottom), ("stroke", ChartStyle.Axis));
        foreach (var value in ticks.Values)
        {
            var x = scale.Map(value);
            if (grid)
            {
                svg.Element("line", ("x1", x), ("x2", x), ("y1", plot.Top), ("y2", plot.Bottom), ("stroke", ChartStyle.Grid));
            }

            svg.Element("line", ("x1", x), ("x2", x), ("y1", plot.Bottom), ("y2", plot.Bottom + 4), ("stroke", ChartStyle.Axis));
            svg.Text("text", format.FormatTick(value, ticks.Step), ("class", "tick"), ("x", x), ("y", plot.Bottom + 16));
        }

        if (!string.IsNullOrEmpty(title))
        {
            svg.Text("text", title, ("class", "axis-title"), ("x", (plot.Left + plot.Right) / 2), ("y", plot.Bottom + 38),
                ("font-size", ChartStyle.AxisTitleSize), ("fill", ChartStyle.Ink));
        }

        svg.End();
    }
}
