namespace MlNetRobust.Reporting.Charts;

/// <summary>How a legend entry shows its series.</summary>
internal enum LegendMarker
{
    Line,
    DashedLine,
    Dot,
    Square,
}

/// <summary>A vertical legend: one row per entry (marker, then the name), each a
/// <c>&lt;g class="legend-entry"&gt;</c>.</summary>
internal static class LegendPainter
{
    private const double MarkerWidth = 22;
    private const double MaxLabelWidth = 180;

    public static double Width(IEnumerable<string> labels) =>
        MarkerWidth + 8 + Math.Min(MaxLabelWidth, TextMetrics.MaxWidth(labels, ChartStyle.LegendSize));

    public static double Height(int count) => count * ChartStyle.LegendRow;

    public static void Draw(SvgWriter svg, double x, double y, IReadOnlyList<(string Label, string Color, LegendMarker Marker)> entries, string? heading = null)
    {
        svg.Start("g", ("class", "legend"), ("font-size", ChartStyle.LegendSize), ("fill", ChartStyle.Ink));
        if (!string.IsNullOrEmpty(heading))
        {
            svg.Text("text", heading, ("x", x), ("y", y + 10), ("font-weight", 600));
            y += ChartStyle.LegendRow;
        }

        foreach (var (label, color, marker) in entries)
        {
            var cy = y + ChartStyle.LegendRow / 2;
            svg.Start("g", ("class", "legend-entry"));
            switch (marker)
            {
                case LegendMarker.Line:
                case LegendMarker.DashedLine:
                    svg.Element("line", ("x1", x), ("x2", x + MarkerWidth), ("y1", cy), ("y2", cy), ("stroke", color), ("stroke-width", 2.5),
                        ("stroke-dasharray", marker == LegendMarker.DashedLine ? "5 3" : null));
                    break;
                case LegendMarker.Dot:
                    svg.Element("circle", ("cx", x + MarkerWidth / 2), ("cy", cy), ("r", 5), ("fill", color));
                    break;
                default:
                    svg.Element("rect", ("x", x + MarkerWidth / 2 - 6), ("y", cy - 6), ("width", 12), ("height", 12), ("rx", 2), ("fill", color));
                    break;
            }

            svg.Text("text", TextMetrics.Fit(label, ChartStyle.LegendSize, MaxLabelWidth), ("x", x + MarkerWidth + 8), ("y", cy), ("dy", "0.32em"));
            svg.End();
            y += ChartStyle.LegendRow;
        }

        svg.End();
    }
}
