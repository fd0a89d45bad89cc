using System.Globalization;

namespace MlNetRobust.Reporting.Charts;

/// <summary>Vertical bars per category: one series gives plain bars (accuracy per corruption), several
/// give grouped bars (accuracy per corruption and severity) with a legend.</summary>
/// <example><code>
/// var chart = new BarChart
/// {
///     Title = "Accuracy per corruption", YAxisTitle = "Accuracy", YMax = 1, ValueFormat = NumberFormat.Percent(0),
///     Categories = ["gaussian_noise", "fog"],
///     Series = [new BarSeries("severity 1", [0.71, 0.8]), new BarSeries("severity 5", [0.3, 0.52])],
///     ReferenceLines = [new ReferenceLine("clean", 0.91)],
/// };
/// </code></example>
public sealed class BarChart : SvgChart
{
    public required IReadOnlyList<string> Categories { get; init; }

    public required IReadOnlyList<BarSeries> Series { get; init; }

    public string? XAxisTitle { get; init; }

    public string? YAxisTitle { get; init; }

    /// <summary>The lower end of the y axis: bars start at 0 unless told otherwise.</summary>
    public double YMin { get; init; }

    /// <summary>Fixes the upper end of the y axis (1 for accuracy); by default it follows the data.</summary>
    public double? YMax { get; init; }

    /// <summary>How tick and value labels are written.</summary>
    public NumberFormat ValueFormat { get; init; } = NumberFormat.General;

    /// <summary>Writes each bar's value above it; by default with one series and at most 24 bars.</summary>
    public bool? ShowValues { get; init; }

    public IReadOnlyList<ReferenceLine> ReferenceLines { get; init; } = [];

    /// <summary>The chart's width; by default enough for the bars (and at least 480 pixels).</summary>
    public double? Width { get; init; }

    public double Height { get; init; } = 340;

    private protected override string Render()
    {
        foreach (var series in Series)
        {
            if (series.Values.Count != Categories.Count)
            {
                throw new ArgumentException($"series '{series.Name}' has {series.Values.Count} values for {Categories.Count} categories");
            }
        }

        var values = Series.SelectMany(s => s.Values).Concat(ReferenceLines.Select(r => r.Value)).Where(double.IsFinite).ToArray();
        var yTicks = NiceScale.Compute(Math.Min(YMin, values.DefaultIfEmpty(YMin).Min()), YMax ?? values.DefaultIfEmpty(1).Max(), 6);
        var groups = Math.Max(1, Series.Count);
        var showValues = ShowValues ?? (Series.Count == 1 && Categories.Count <= 24);
        var legend = Series.Count > 1
            ? Series.Select((s, i) => (s.Name, ColorOf(i), LegendMarker.Square)).ToList()
            : [];
        var legendWidth = legend.Count > 0 ? LegendPainter.Width(Series.Select(s => s.Name)) + 20 : 0;

        // Width: each category gets room for its bars plus a gap; labels turn 40° when they do not fit.
        var barWidth = groups == 1 ? 28.0 : Math.Max(6, 16 - groups);
        var slot = groups * barWidth + 16;
        var yAxisWidth = AxisPainter.YAxisWidth(yTicks, ValueFormat, YAxisTitle);
        var width = Width ?? Math.Max(480, ChartStyle.Margin * 2 + yAxisWidth + Categories.Count * slot + legendWidth + 8);
        var top = string.IsNullOrEmpty(Title) ? ChartStyle.Margin : ChartStyle.Margin + ChartStyle.TitleSize + 16;
        var plotLeft = ChartStyle.Margin + yAxisWidth;
        var plotRight = width - ChartStyle.Margin - legendWidth;
        slot = (plotRight - plotLeft) / Math.Max(1, Categories.Count);
        var labelWidth = TextMetrics.MaxWidth(Categories, ChartStyle.LabelSize);
        var turned = labelWidth > slot - 4;
        if (turned && Categories.Count > 0)
        {
            // A turned label hangs down-left of its bar by cos 40° of its length: make room for the first one.
            var overhang = Math.Min(140, TextMetrics.Width(Categories[0], ChartStyle.LabelSize)) * 0.77 - slot / 2 - plotLeft + ChartStyle.Margin / 2;
            if (overhang > 0)
            {
                plotLeft += overhang;
                width += Width is null ? overhang : 0;
                plotRight = width - ChartStyle.Margin - legendWidth;
                slot = (plotRight - plotLeft) / Categories.Count;
            }
        }

        var labelHeight = turned ? Math.Min(140, labelWidth) * 0.65 + 12 : 20;
        var bottom = Height - ChartStyle.Margin - labelHeight - (string.IsNullOrEmpty(XAxisTitle) ? 0 : ChartStyle.AxisTitleSize + 10);
        var plot = new PlotArea(plotLeft, top + (showValues ? 8 : 4), plotRight, bottom);

        var svg = CreateWriter(width, Height, "Bar chart", Describe(yTicks));
        WriteTitle(svg, ChartStyle.Margin);
        AxisPainter.Y(svg, plot, yTicks, ValueFormat, YAxisTitle);

        var yScale = new LinearScale(yTicks.Min, yTicks.Max, plot.Bottom, plot.Top);
        var baseline = yScale.Map(Math.Clamp(0, yTicks.Min, yTicks.Max));
        barWidth = Math.Min(groups == 1 ? 44 : 18, (slot - 10) / groups);
        svg.Start("g", ("class", "bars"));
        for (var c = 0; c < Categories.Count; c++)
        {
            var groupLeft = plot.Left + c * slot + (slot - groups * barWidth) / 2;
            for (var s = 0; s < Series.Count; s++)
            {
                var value = Series[s].Values[c];
                if (!double.IsFinite(value))
                {
                    continue;
                }

                var y = yScale.Map(Math.Clamp(value, yTicks.Min, yTicks.Max));
                var x = groupLeft + s * barWidth;
                svg.Element("rect", ("class", "bar"), ("x", x), ("y", Math.Min(y, baseline)), ("width", Math.Max(1, barWidth - 1)),
                    ("height", Math.Abs(baseline - y)), ("fill", ColorOf(s)));
                if (showValues)
                {
                    svg.Text("text", ValueFormat.Format(value), ("class", "value"), ("x", x + barWidth / 2), ("y", Math.Min(y, baseline) - 4),
                        ("text-anchor", "middle"), ("font-size", ChartStyle.LabelSize - 1), ("fill", ChartStyle.Muted));
                }
            }
        }

        svg.End();

        svg.Start("g", ("class", "x-axis"), ("font-size", ChartStyle.LabelSize), ("fill", ChartStyle.Ink));
        svg.Element("line", ("x1", plot.Left), ("x2", plot.Right), ("y1", baseline), ("y2", baseline), ("stroke", ChartStyle.Axis));
        for (var c = 0; c < Categories.Count; c++)
        {
            var cx = plot.Left + (c + 0.5) * slot;
            var label = TextMetrics.Fit(Categories[c], ChartStyle.LabelSize, 140);
            if (turned)
            {
                svg.Text("text", label, ("class", "category"), ("text-anchor", "end"), ("dy", "0.32em"),
                    ("transform", $"translate({SvgWriter.Num(cx)} {SvgWriter.Num(plot.Bottom + 10)}) rotate(-40)"));
            }
            else
            {
                svg.Text("text", label, ("class", "category"), ("text-anchor", "middle"), ("x", cx), ("y", plot.Bottom + 16));
            }
        }

        if (!string.IsNullOrEmpty(XAxisTitle))
        {
            svg.Text("text", XAxisTitle, ("class", "axis-title"), ("text-anchor", "middle"), ("x", (plot.Left + plot.Right) / 2),
                ("y", Height - ChartStyle.Margin), ("font-size", ChartStyle.AxisTitleSize));
        }

        svg.End();

        foreach (var line in ReferenceLines)
        {
            if (!double.IsFinite(line.Value))
            {
                continue;
            }

            var y = yScale.Map(Math.Clamp(line.Value, yTicks.Min, yTicks.Max));
            svg.Start("g", ("class", "reference"), ("fill", ChartStyle.Ink), ("font-size", ChartStyle.LabelSize));
            svg.Element("line", ("x1", plot.Left), ("x2", plot.Right), ("y1", y), ("y2", y), ("stroke", ChartStyle.Ink),
                ("stroke-width", 1.25), ("stroke-dasharray", "5 4"));
            svg.Text("text", $"{line.Label} {ValueFormat.Format(line.Value)}", ("x", plot.Right - 4), ("y", y - 5), ("text-anchor", "end"),
                ("stroke", "#ffffff"), ("stroke-width", 3), ("paint-order", "stroke"));
            svg.End();
        }

        if (legend.Count > 0)
        {
            LegendPainter.Draw(svg, plot.Right + 20, plot.Top, legend);
        }

        return svg.Finish();
    }

    private string ColorOf(int index) => Series[index].Color ?? Palette.Category(index);

    private string Describe(AxisTicks yTicks)
    {
        var c = CultureInfo.InvariantCulture;
        var series = Series.Count == 1 ? string.Empty : $" Series: {string.Join(", ", Series.Select(s => s.Name))}.";
        return string.Create(c,
            $"Bar chart of {YAxisTitle ?? "values"} ({ValueFormat.FormatTick(yTicks.Min, yTicks.Step)} to {ValueFormat.FormatTick(yTicks.Max, yTicks.Step)}) " +
            $"for {Categories.Count} categories: {string.Join(", ", Categories)}.{series}");
    }
}
