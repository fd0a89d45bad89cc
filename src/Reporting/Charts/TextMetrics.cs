namespace MlNetRobust.Reporting.Charts;

/// <summary>Estimates how wide a label is drawn. SVG gives no text metrics before rendering, so layouts
/// use per-character widths of a typical sans-serif font (in ems); close enough to leave room for labels
/// without measuring, and deterministic.</summary>
internal static class TextMetrics
{
    public static double Width(string text, double fontSize)
    {
        double ems = 0;
        foreach (var c in text)
        {
            ems += c switch
            {
                'i' or 'j' or 'l' or '.' or ',' or ':' or ';' or '\'' or '|' or '!' => 0.28,
                'f' or 't' or 'r' or ' ' or '(' or ')' or '[' or ']' or '-' => 0.36,
                'm' or 'w' or 'M' or 'W' or '%' or '@' => 0.86,
                >= 'A' and <= 'Z' => 0.68,
                >= '0' and <= '9' => 0.58,
                _ when c > 0x2E80 => 1.0, // CJK and other wide scripts
                _ => 0.55,
            };
        }

        return ems * fontSize;
    }

    /// <summary>The widest of <paramref name="texts"/>, 0 when there are none.</summary>
    public static double MaxWidth(IEnumerable<string> texts, double fontSize)
    {
        double max = 0;
        foreach (var text in texts)
        {
            max = Math.Max(max, Width(text, fontSize));
        }

        return max;
    }

    /// <summary>Shortens <paramref name="text"/> with an ellipsis so it fits <paramref name="maxWidth"/>.</summary>
    public static string Fit(string text, double fontSize, double maxWidth)
    {
        if (Width(text, fontSize) <= maxWidth)
        {
            return text;
        }

        var length = text.Length;
        while (length > 1 && Width(text[..length] + "\u2026", fontSize) > maxWidth)
        {
            length--;
        }

        // Never cut between the two halves of a surrogate pair.
        if (length > 1 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length] + "\u2026";
    }
}
