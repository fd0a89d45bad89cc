using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace MlNetRobust.Trainers.Evaluation;

/// <summary>
/// Counts of (true class, predicted class): <c>Counts[t][p]</c> rows are the true classes and columns the
/// predicted ones, in class order (sklearn's confusion_matrix). <see cref="ToString"/> renders it as a table.
/// </summary>
public sealed record ConfusionMatrix
{
    [JsonConstructor]
    public ConfusionMatrix(IReadOnlyList<string> classNames, long[][] counts)
    {
        if (counts.Length != classNames.Count || counts.Any(r => r.Length != classNames.Count))
        {
            throw new ArgumentException($"a confusion matrix over {classNames.Count} classes needs {classNames.Count}×{classNames.Count} counts", nameof(counts));
        }
        (ClassNames, Counts) = (classNames, counts);
    }

    /// <summary>Counts from true and predicted class indices (both in 0..classes−1).</summary>
    public static ConfusionMatrix From(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<string> classNames)
    {
        var counts = Enumerable.Range(0, classNames.Count).Select(_ => new long[classNames.Count]).ToArray();
        for (var i = 0; i < truth.Count; i++)
        {
            counts[truth[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(classNames, counts);
    }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>[true class][predicted class].</summary>
    public long[][] Counts { get; }

    public long this[int truth, int predicted] => Counts[truth][predicted];

    [JsonIgnore]
    public long Total => Counts.Sum(r => r.Sum());

    /// <summary>
    /// The table, right-aligned, two spaces between columns, the corner naming the axes:
    /// <code>
    /// true \ predicted  cat  dog
    ///              cat    3    1
    ///              dog    0    2
    /// </code>
    /// </summary>
    public override string ToString()
    {
        const string corner = @"true \ predicted";
        var n = ClassNames.Count;
        var first = Math.Max(corner.Length, ClassNames.Select(c => c.Length).DefaultIfEmpty(0).Max());
        var widths = Enumerable.Range(0, n)
            .Select(p => Math.Max(ClassNames[p].Length, Enumerable.Range(0, n).Max(t => Text(Counts[t][p]).Length)))
            .ToArray();
        var sb = new StringBuilder();
        sb.Append(corner.PadLeft(first));
        for (var p = 0; p < n; p++)
        {
            sb.Append("  ").Append(ClassNames[p].PadLeft(widths[p]));
        }
        sb.Append('\n');
        for (var t = 0; t < n; t++)
        {
            sb.Append(ClassNames[t].PadLeft(first));
            for (var p = 0; p < n; p++)
            {
                sb.Append("  ").Append(Text(Counts[t][p]).PadLeft(widths[p]));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    public bool Equals(ConfusionMatrix? other) =>
        other is not null && ClassNames.SequenceEqual(other.ClassNames) && Counts.Length == other.Counts.Length
        && Counts.Zip(other.Counts).All(r => r.First.SequenceEqual(r.Second));

    public override int GetHashCode() => HashCode.Combine(ClassNames.Count, Total);
}
