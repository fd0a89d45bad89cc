using System.Globalization;
using System.Text;

namespace MlNetRobust.Reporting.Charts;

/// <summary>Lines of y against x with a shared pair of axes and a legend: training curves (loss or
/// accuracy per epoch for train and validation), learning-rate schedules.</summary>
/// <example><code>
/// var chart = new LineChart
/// {
///     Title = "Accuracy", XAxisTitle = "Epoch", YAxisTitle = "Accuracy", YMin = 0, YMax = 1,
///     YFormat = NumberFormat.Percent(0),
///     Series = [LineSeries.PerEpoch("train", train), LineSeries.PerEpoch("validation", validation)],
/// };
/// chart.Save("accuracy.svg");
/// </code></example>
public sealed class LineChart : SvgChart
{
    /// <summary>The lines, drawn in order (the last on top).</summary>
    public required IReadOnlyList<LineSeries> Series { get; init; }

    public string? XAxisTitle { get; init; }

    public string? YAxisTitle { get; init; }

    /// <summary>Fixes the lower end of the y axis (0 for accuracy); by default it follows the data.</summary>
    public double? YMin { get; init; }

    /// <summary>Fixes the upper end of the y axis (1 for accuracy); by default it follows the data.</summary>
    public double? YMax { get; init; }

    /// <summary>How y tick labels are written; by default with the decimals the tick step needs.</summary>
    public NumberFormat YFormat { get; init; } = NumberFormat.General;

    /// <summary>How x tick labels are written. When every x is a whole number (epochs), ticks stay on
    /// whole numbers.</summary>
    public NumberFormat XFormat { get; init; } = NumberFormat.General;

    /// <summary>Marks each point with a dot; by default when no series has more than 40 points.</summary>
    public bool? ShowMarkers { get; init; }

    public double Width { get; init; } = 520;

    public double Height { get; init; } = 340;

    private protected override string Render()
    {
        foreach (var series in Series)
        {
            if (series.X.Count != series.Y.Count)
            {
                throw new ArgumentException($"series '{series.Name}' has {series.X.Count} x values but {series.Y.Count} y values");
            }
        }

        var xs = Series.SelectMany(s => s.X).Where(double.IsFinite).ToArray();
        var ys = Series.SelectMany(s => s.Y).Where(double.IsFinite).ToArray();
        var integerX = xs.Length > 0 && xs.All(x => x == Math.Round(x));
        var xTicks = NiceScale.Compute(xs.DefaultIfEmpty(0).Min(), xs.DefaultIfEmpty(1).Max(), 7, integerX);
        var yTicks = NiceScale.Compute(YMin ?? ys.DefaultIfEmpty(0).Min(), YMax ?? ys.DefaultIfEmpty(1).Max(), 6);

        var svg = CreateWriter(Width, Height, "Line chart", Describe(xTicks, yTicks));
        var top = WriteTitle(svg, ChartStyle.Margin);
        var legend = Series.Select((s, i) => (s.Name, ColorOf(i), s.Dashed ? LegendMarker.DashedLine : LegendMarker.Line)).ToList();
        var legendWidth = legend.Count > 0 ? LegendPainter.Width(Series.Select(s => s.Name)) + 20 : 0;
        var plot = new PlotArea(
            ChartStyle.Margin + AxisPainter.YAxisWidth(yTicks, YFormat, YAxisTitle),
            top + 6,
            Width - ChartStyle.Margin - legendWidth,
            Height - ChartStyle.Margin - AxisPainter.XAxisHeight(XAxisTitle) + 12);

        AxisPainter.Y(svg, plot, yTicks, YFormat, YAxisTitle);
        AxisPainter.X(svg, plot, xTicks, XFormat, XAxisTitle);

        var xScale = new LinearScale(xTicks.Min, xTicks.Max, plot.Left, plot.Right);
        var yScale = new LinearScale(yTicks.Min, yTicks.Max, plot.Bottom, plot.Top);
        var markers = ShowMarkers ?? Series.All(s => s.X.Count <= 40);
        svg.Start("g", ("class", "series"), ("fill", "none"), ("stroke-linejoin", "round"), ("stroke-linecap", "round"));
        for (var i = 0; i < Series.Count; i++)
        {
            var series = Series[i];
            var (line, dots) = Paths(series, xScale, yScale);
            svg.Start("g", ("class", "line"), ("stroke", ColorOf(i)));
            if (line.Length > 0)
            {
                svg.Element("path", ("d", line), ("stroke-width", 2.25), ("stroke-dasharray", series.Dashed ? "6 4" : null));
            }

            if (markers && dots.Length > 0)
            {
                // Zero-length segments with round caps draw as dots: one path for all markers.
                svg.Element("path", ("d", dots), ("stroke-width", 6));
            }

            svg.End();
        }

        svg.End();
        if (legend.Count > 0)
        {
            LegendPainter.Draw(svg, plot.Right + 20, plot.Top, legend);
        }

        return svg.Finish();
    }

    private string ColorOf(int index) => Series[index].Color ?? Palette.Category(index);

    private static (string Line, string Dots) Paths(LineSeries series, LinearScale xScale, LinearScale yScale)
    {
        var line = new StringBuilder();
        var dots = new StringBuilder();
        var pen = false;
        for (var j = 0; j < series.X.Count; j++)
        {
            double x = series.X[j], y = series.Y[j];
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                pen = false; // a gap
                continue;
            }

            var px = SvgWriter.Num(xScale.Map(x));
            var py = SvgWriter.Num(yScale.Map(y));
            line.Append(pen ? 'L' : 'M').Append(px).Append(' ').Append(py);
            dots.Append('M').Append(px).Append(' ').Append(py).Append("h0");
            pen = true;
        }

        return (line.ToString(), dots.ToString());
    }

    private string Describe(AxisTicks xTicks, AxisTicks yTicks)
    {
        var c = CultureInfo.InvariantCulture;
        var series = string.Join("; ", Series.Select(s => string.Create(c, $"{s.Name} ({s.Y.Count(double.IsFinite)} points)")));
        return $"Line chart of {YAxisTitle ?? "y"} ({YFormat.FormatTick(yTicks.Min, yTicks.Step)} to {YFormat.FormatTick(yTicks.Max, yTicks.Step)}) " +
            $"against {XAxisTitle ?? "x"} ({XFormat.FormatTick(xTicks.Min, xTicks.Step)} to {XFormat.FormatTick(xTicks.Max, xTicks.Step)}). " +
            $"Series: {series}.";
    }
}
