using System.Text;

namespace MlNetRobust.Reporting;

/// <summary>Escaping shared by the SVG and HTML writers: whatever comes from data (class names, notes,
/// configuration values) goes through <see cref="Escape(string?)"/> before it reaches a file.</summary>
internal static class Markup
{
    /// <summary>Escapes <c>&amp; &lt; &gt; " '</c>, so the result is safe both as element text and as a
    /// double- or single-quoted attribute value, and replaces characters XML forbids (control
    /// characters, lone surrogates, U+FFFE/U+FFFF) with U+FFFD, so hostile input cannot make a file
    /// unparsable either.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (!NeedsWork(text))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        Append(sb, text);
        return sb.ToString();
    }

    /// <summary>Appends <paramref name="text"/> escaped as in <see cref="Escape(string?)"/>.</summary>
    public static void Append(StringBuilder sb, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        sb.Append(c).Append(text[++i]);
                    }
                    else if (IsXmlChar(c))
                    {
                        sb.Append(c);
                    }
                    else
                    {
                        sb.Append('\uFFFD');
                    }

                    break;
            }
        }
    }

    private static bool NeedsWork(string text)
    {
        foreach (var c in text)
        {
            if (c is '&' or '<' or '>' or '"' or '\'' || char.IsSurrogate(c) || !IsXmlChar(c))
            {
                return true;
            }
        }

        return false;
    }

    // XML 1.0 Char production, for one UTF-16 unit that is not part of a surrogate pair.
    private static bool IsXmlChar(char c) =>
        c is '\t' or '\n' or '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
}
