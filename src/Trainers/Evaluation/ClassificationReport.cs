using System.Globalization;
using System.Text;

namespace MlNetRobust.Trainers.Evaluation;

/// <summary>Precision, recall, F1 and support (number of true rows) of one class.</summary>
public sealed record ClassMetrics(string Name, double Precision, double Recall, double F1, long Support);

/// <summary>An average of the per-class metrics; Support is the number of rows.</summary>
public sealed record AverageMetrics(double Precision, double Recall, double F1, long Support);

/// <summary>
/// The per-class table of sklearn's <c>classification_report</c>: one row per class, then accuracy, the
/// macro average (unweighted mean over classes) and the weighted average (weighted by support).
/// <see cref="ToString()"/> reproduces sklearn's text layout character for character (digits = 2):
/// <code>
///               precision    recall  f1-score   support
///
///          cat       0.50      1.00      0.67         1
///          …
///     accuracy                           0.60         5
///    macro avg       0.50      0.56      0.49         5
/// weighted avg       0.70      0.60      0.61         5
/// </code>
/// </summary>
public sealed class ClassificationReport(IReadOnlyList<ClassMetrics> classes, double accuracy, AverageMetrics macroAverage, AverageMetrics weightedAverage)
{
    public IReadOnlyList<ClassMetrics> Classes { get; } = classes;

    public double Accuracy { get; } = accuracy;

    public AverageMetrics MacroAverage { get; } = macroAverage;

    public AverageMetrics WeightedAverage { get; } = weightedAverage;

    public override string ToString() => ToString(digits: 2);

    /// <summary>The table with <paramref name="digits"/> decimals, as sklearn's <c>classification_report(digits=…)</c>.</summary>
    public string ToString(int digits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        const string lastHeading = "weighted avg";
        var width = Math.Max(Math.Max(Classes.Select(c => c.Name.Length).DefaultIfEmpty(0).Max(), lastHeading.Length), digits);
        // .NET (since Core 3.0) formats the exact binary value and rounds exact midpoints to even, as Python
        // does: 0.125 → "0.12", 0.375 → "0.38".
        string F(double v) => v.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).PadLeft(9);
        string S(long v) => v.ToString(CultureInfo.InvariantCulture).PadLeft(9);
        string Row(string name, double p, double r, double f, long s) => $"{name.PadLeft(width)}  {F(p)} {F(r)} {F(f)} {S(s)}\n";

        var sb = new StringBuilder();
        sb.Append(' ', width).Append(' ');
        foreach (var header in new[] { "precision", "recall", "f1-score", "support" })
        {
            sb.Append(' ').Append(header.PadLeft(9));
        }
        sb.Append("\n\n");
        foreach (var c in Classes)
        {
            sb.Append(Row(c.Name, c.Precision, c.Recall, c.F1, c.Support));
        }
        sb.Append('\n');
        sb.Append($"{"accuracy".PadLeft(width)}  {"",9} {"",9} {F(Accuracy)} {S(MacroAverage.Support)}\n");
        sb.Append(Row("macro avg", MacroAverage.Precision, MacroAverage.Recall, MacroAverage.F1, MacroAverage.Support));
        sb.Append(Row("weighted avg", WeightedAverage.Precision, WeightedAverage.Recall, WeightedAverage.F1, WeightedAverage.Support));
        return sb.ToString();
    }
}
