using System.Globalization;
using System.Text;

namespace MlNetRobust.Transforms.Splits;

/// <summary>One class of a split: how many of its rows went to each side.</summary>
public sealed record SplitTableRow(string Tag, long Train, long Test)
{
    public long Total => Train + Test;

    /// <summary>Share of this class's rows in train, in percent (0 for a class without rows).</summary>
    public double TrainPercent => Total == 0 ? 0 : 100.0 * Train / Total;

    public double TestPercent => Total == 0 ? 0 : 100.0 * Test / Total;
}

/// <summary>
/// Per-class counts of a split, with a totals row — what a user checks before training on a split.
/// <see cref="ToString"/> renders an aligned text table (tag left-aligned, numbers right-aligned, one decimal for %).
/// </summary>
public sealed class SplitTable
{
    private static readonly string[] s_headers = ["tag", "train", "test", "total", "train %", "test %"];

    public SplitTable(IReadOnlyList<SplitTableRow> classes)
    {
        Classes = classes;
        Totals = new SplitTableRow("total", classes.Sum(r => r.Train), classes.Sum(r => r.Test));
    }

    /// <summary>One row per class, in key order (classes without rows included, with zeros).</summary>
    public IReadOnlyList<SplitTableRow> Classes { get; }

    public SplitTableRow Totals { get; }

    public SplitTableRow this[string tag] =>
        Classes.FirstOrDefault(r => r.Tag == tag) ?? throw new KeyNotFoundException($"no class '{tag}' in the split table");

    public override string ToString()
    {
        var cells = Classes.Append(Totals).Select(Cells).ToList();
        var widths = s_headers.Select((h, i) => Math.Max(h.Length, cells.Max(row => row[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> row)
        {
            var parts = row.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]));
            sb.Append(string.Join("  ", parts).TrimEnd()).Append('\n');
        }
        Line(s_headers);
        for (var i = 0; i < cells.Count; i++)
        {
            if (i == cells.Count - 1)
            {
                sb.Append(new string('-', widths.Sum() + 2 * (widths.Length - 1))).Append('\n');
            }
            Line(cells[i]);
        }
        return sb.ToString();
    }

    private static string[] Cells(SplitTableRow r) =>
    [
        r.Tag,
        r.Train.ToString(CultureInfo.InvariantCulture),
        r.Test.ToString(CultureInfo.InvariantCulture),
        r.Total.ToString(CultureInfo.InvariantCulture),
        r.TrainPercent.ToString("0.0", CultureInfo.InvariantCulture),
        r.TestPercent.ToString("0.0", CultureInfo.InvariantCulture),
    ];
}
