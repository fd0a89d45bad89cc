namespace MlNetRobust.Reporting.Html;

/// <summary>One table cell: a number (formatted by its column, compared for best-in-column and sorting),
/// a text, or both (the text is shown, the number used). Converts implicitly from strings and numbers,
/// so rows read <c>new ReportRow("fgsm", "KNN", 0.83, 0.41)</c>.</summary>
public readonly record struct ReportCell(string? Text, double? Number)
{
    /// <summary>An empty cell, shown as a dash.</summary>
    public static ReportCell Empty => default;

    public static ReportCell Of(string? text) => new(text, null);

    public static ReportCell Of(double? number) => new(null, number);

    public static implicit operator ReportCell(string? text) => new(text, null);

    public static implicit operator ReportCell(double number) => new(null, number);

    public static implicit operator ReportCell(double? number) => new(null, number);

    public static implicit operator ReportCell(long number) => new(null, number);

    public static implicit operator ReportCell(int number) => new(null, number);

    /// <summary>Whether the cell holds a finite number.</summary>
    public bool IsNumeric => Number is { } n && double.IsFinite(n);
}
