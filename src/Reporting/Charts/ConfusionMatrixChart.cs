using System.Globalization;

namespace MlNetRobust.Reporting.Charts;

/// <summary>A confusion matrix as a heatmap: rows are true classes, columns predicted ones, each cell
/// shows its count, and its colour is the row-normalised share (the fraction of that true class
/// predicted as that column), so classes of different sizes compare and the diagonal reads as recall.</summary>
/// <example><code>new ConfusionMatrixChart { Title = "Clean test", ClassNames = classes, Counts = matrix }.Save("cm.svg");</code></example>
public sealed class ConfusionMatrixChart : SvgChart
{
    /// <summary>Class names, for both axes.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Counts[true, predicted], classes × classes.</summary>
    public required int[,] Counts { get; init; }

    public string XAxisTitle { get; init; } = "Predicted";

    public string YAxisTitle { get; init; } = "True";

    /// <summary>The side of a cell; by default 36 pixels for up to 10 classes (two matrices fit side by
    /// side in a report), smaller beyond.</summary>
    public double? CellSize { get; init; }

    /// <summary>A matrix from counts stored row-major (true class × predicted class).</summary>
    public static int[,] FromRowMajor(IReadOnlyList<int> counts, int classCount)
    {
        if (counts.Count != classCount * classCount)
        {
            throw new ArgumentException($"{classCount} classes need {classCount * classCount} counts, not {counts.Count}", nameof(counts));
        }

        var matrix = new int[classCount, classCount];
        for (var i = 0; i < counts.Count; i++)
        {
            matrix[i / classCount, i % classCount] = counts[i];
        }

        return matrix;
    }

    private protected override string Render()
    {
        var n = ClassNames.Count;
        if (Counts.GetLength(0) != n || Counts.GetLength(1) != n)
        {
            throw new ArgumentException($"the matrix is {Counts.GetLength(0)} × {Counts.GetLength(1)}, but there are {n} class names");
        }

        var cell = CellSize ?? (n <= 10 ? 36 : Math.Max(12, 360.0 / n));
        // Counts are written when they fit; below ~14 pixels a cell is a colour only.
        var countSize = Math.Min(12, cell * 0.3);
        var showCounts = cell >= 14;
        const double LabelGap = 6;
        var rowLabelWidth = Math.Min(160, TextMetrics.MaxWidth(ClassNames, ChartStyle.LabelSize));
        // Column labels are turned 45°, so they need about 0.71 × their length in height.
        var columnLabelHeight = Math.Min(160, TextMetrics.MaxWidth(ClassNames, ChartStyle.LabelSize)) * 0.71 + 8;

        var top = string.IsNullOrEmpty(Title) ? ChartStyle.Margin : ChartStyle.Margin + ChartStyle.TitleSize + 16;
        var left = ChartStyle.Margin + ChartStyle.AxisTitleSize + 12 + rowLabelWidth + LabelGap;
        var plot = new PlotArea(left, top, left + n * cell, top + n * cell);
        const double BarWidth = 12;
        var width = plot.Right + 24 + BarWidth + 40 + ChartStyle.Margin;
        // Column labels hang below-left of their cells, so leave room to the left of the matrix too.
        var height = plot.Bottom + LabelGap + columnLabelHeight + ChartStyle.AxisTitleSize + 14 + ChartStyle.Margin;

        var svg = CreateWriter(width, height, "Confusion matrix", Describe());
        WriteTitle(svg, ChartStyle.Margin);

        svg.Start("g", ("class", "cells"), ("text-anchor", "middle"), ("font-size", SvgWriter.Num(countSize)));
        for (var t = 0; t < n; t++)
        {
            long rowTotal = 0;
            for (var p = 0; p < n; p++)
            {
                rowTotal += Counts[t, p];
            }

            for (var p = 0; p < n; p++)
            {
                var count = Counts[t, p];
                var share = rowTotal > 0 ? (double)count / rowTotal : 0;
                var fill = Palette.Blues(share);
                double x = plot.Left + p * cell, y = plot.Top + t * cell;
                svg.Element("rect", ("class", "cell"), ("x", x), ("y", y), ("width", cell), ("height", cell), ("fill", fill),
                    ("stroke", "#ffffff"), ("stroke-width", 1));
                if (showCounts)
                {
                    svg.Text("text", count.ToString(CultureInfo.InvariantCulture), ("class", "count"), ("x", x + cell / 2), ("y", y + cell / 2),
                        ("dy", "0.35em"), ("fill", Palette.IsLight(fill) ? ChartStyle.Ink : "#ffffff"),
                        ("font-weight", t == p ? 600 : null));
                }
            }
        }

        svg.End();

        // Class names: true classes left of the rows, predicted ones below the columns (turned 45°).
        svg.Start("g", ("class", "class-labels"), ("font-size", ChartStyle.LabelSize), ("fill", ChartStyle.Ink));
        for (var i = 0; i < n; i++)
        {
            var name = TextMetrics.Fit(ClassNames[i], ChartStyle.LabelSize, 160);
            svg.Text("text", name, ("class", "row-label"), ("x", plot.Left - LabelGap), ("y", plot.Top + (i + 0.5) * cell),
                ("dy", "0.32em"), ("text-anchor", "end"));
            var cx = plot.Left + (i + 0.5) * cell;
            var cy = plot.Bottom + LabelGap + 4;
            svg.Text("text", name, ("class", "column-label"), ("text-anchor", "end"), ("dy", "0.32em"),
                ("transform", $"translate({SvgWriter.Num(cx)} {SvgWriter.Num(cy)}) rotate(-45)"));
        }

        svg.End();

        svg.Text("text", YAxisTitle, ("class", "axis-title"), ("text-anchor", "middle"), ("font-size", ChartStyle.AxisTitleSize), ("fill", ChartStyle.Ink),
            ("transform", $"translate({SvgWriter.Num(ChartStyle.Margin + ChartStyle.AxisTitleSize)} {SvgWriter.Num((plot.Top + plot.Bottom) / 2)}) rotate(-90)"));
        svg.Text("text", XAxisTitle, ("class", "axis-title"), ("text-anchor", "middle"), ("font-size", ChartStyle.AxisTitleSize), ("fill", ChartStyle.Ink),
            ("x", (plot.Left + plot.Right) / 2), ("y", height - ChartStyle.Margin));

        DrawColorBar(svg, plot.Right + 24, plot.Top, BarWidth, Math.Min(plot.Height, 220));
        return svg.Finish();
    }

    // A vertical ramp from 0% (bottom) to 100% (top) of the row, in discrete steps: no gradient ids to clash.
    private static void DrawColorBar(SvgWriter svg, double x, double top, double width, double height)
    {
        const int Steps = 24;
        svg.Start("g", ("class", "color-bar"), ("font-size", ChartStyle.LabelSize - 1), ("fill", ChartStyle.Muted));
        var step = height / Steps;
        for (var i = 0; i < Steps; i++)
        {
            var y = top + height - (i + 1) * step;
            svg.Element("rect", ("x", x), ("y", y), ("width", width), ("height", step + 0.5), ("fill", Palette.Blues((i + 0.5) / Steps)));
        }

        svg.Element("rect", ("x", x), ("y", top), ("width", width), ("height", height), ("fill", "none"), ("stroke", ChartStyle.Grid));
        foreach (var (label, t) in new[] { ("100%", 1.0), ("50%", 0.5), ("0%", 0.0) })
        {
            svg.Text("text", label, ("x", x + width + 4), ("y", top + height * (1 - t)), ("dy", "0.32em"));
        }

        svg.Text("text", "of row", ("x", x), ("y", top + height + 16));
        svg.End();
    }

    private string Describe()
    {
        long total = 0, correct = 0;
        var n = ClassNames.Count;
        for (var t = 0; t < Counts.GetLength(0); t++)
        {
            for (var p = 0; p < Counts.GetLength(1); p++)
            {
                total += Counts[t, p];
                correct += t == p ? Counts[t, p] : 0;
            }
        }

        var accuracy = total > 0 ? NumberFormat.Percent(1).Format((double)correct / total) : NumberFormat.Missing;
        return string.Create(CultureInfo.InvariantCulture,
            $"Confusion matrix of {n} classes (rows true, columns predicted, colour the share of the row), {total} samples, accuracy {accuracy}. Classes: {string.Join(", ", ClassNames)}.");
    }
}
