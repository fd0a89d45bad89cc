namespace MlNetRobust.Reporting.Html;

/// <summary>How a <see cref="TextBlock"/> is shown.</summary>
public enum TextStyle
{
    /// <summary>Paragraphs, split at blank lines; single line breaks are kept.</summary>
    Paragraphs,

    /// <summary>Monospaced, whitespace kept (command lines, logs).</summary>
    Preformatted,

    /// <summary>A highlighted remark (a caveat, a finding).</summary>
    Note,
}

/// <summary>Free-form text, always written escaped: data can never become markup.</summary>
public sealed class TextBlock(string text, TextStyle style = TextStyle.Paragraphs) : ReportBlock
{
    public string Text { get; } = text ?? string.Empty;

    public TextStyle Style { get; } = style;
}
