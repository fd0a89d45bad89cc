using System.Globalization;
using System.Text;

namespace MlNetRobust.Reporting.Charts;

/// <summary>A minimal forward-only SVG writer. Numbers are written with the invariant culture and at most
/// two decimals, text is escaped, and nothing depends on time or hashing, so the same chart always
/// gives the same bytes. One element per line keeps diffs of golden files readable.</summary>
internal sealed class SvgWriter
{
    /// <summary>System fonts only: reports must open offline, so no web fonts.</summary>
    public const string FontFamily = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, DejaVu Sans, sans-serif";

    private readonly StringBuilder _sb = new();
    private readonly Stack<string> _open = new();

    public SvgWriter(double width, double height, string title, string description)
    {
        _sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\"");
        Attr("width", Math.Ceiling(width));
        Attr("height", Math.Ceiling(height));
        _sb.Append(" viewBox=\"0 0 ").Append(Num(Math.Ceiling(width))).Append(' ').Append(Num(Math.Ceiling(height))).Append('"');
        Attr("role", "img");
        Attr("font-family", FontFamily);
        _sb.Append(">\n");
        _open.Push("svg");
        // <title> and <desc> first: they are the accessible name and description of the image.
        Text("title", title);
        Text("desc", description);
        // An opaque background, so the file reads well outside the report (dark viewers, slides).
        Element("rect", ("width", "100%"), ("height", "100%"), ("fill", "#ffffff"));
    }

    public StringBuilder Raw => _sb;

    /// <summary>Writes <c>&lt;name attrs&gt;</c> and keeps it open until <see cref="End"/>.</summary>
    public SvgWriter Start(string name, params ReadOnlySpan<(string Name, object? Value)> attributes)
    {
        _sb.Append('<').Append(name);
        Attrs(attributes);
        _sb.Append(">\n");
        _open.Push(name);
        return this;
    }

    public SvgWriter End()
    {
        _sb.Append("</").Append(_open.Pop()).Append(">\n");
        return this;
    }

    /// <summary>Writes a self-closing element.</summary>
    public SvgWriter Element(string name, params ReadOnlySpan<(string Name, object? Value)> attributes)
    {
        _sb.Append('<').Append(name);
        Attrs(attributes);
        _sb.Append("/>\n");
        return this;
    }

    /// <summary>Writes an element holding escaped text.</summary>
    public SvgWriter Text(string name, string text, params ReadOnlySpan<(string Name, object? Value)> attributes)
    {
        _sb.Append('<').Append(name);
        Attrs(attributes);
        _sb.Append('>');
        Markup.Append(_sb, text);
        _sb.Append("</").Append(name).Append(">\n");
        return this;
    }

    /// <summary>Closes every open element and returns the document.</summary>
    public string Finish()
    {
        while (_open.Count > 0)
        {
            End();
        }

        return _sb.ToString();
    }

    private void Attrs(ReadOnlySpan<(string Name, object? Value)> attributes)
    {
        foreach (var (name, value) in attributes)
        {
            // A null value leaves the attribute out, so optional ones can be written inline.
            if (value is not null)
            {
                Attr(name, value);
            }
        }
    }

    private void Attr(string name, object value)
    {
        _sb.Append(' ').Append(name).Append("=\"");
        switch (value)
        {
            case double d: _sb.Append(Num(d)); break;
            case float f: _sb.Append(Num(f)); break;
            case int i: _sb.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            default: Markup.Append(_sb, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }

        _sb.Append('"');
    }

    /// <summary>A coordinate or length: invariant, at most two decimals, no "-0".</summary>
    public static string Num(double value)
    {
        var rounded = Math.Round(value, 2);
        return rounded == 0 ? "0" : rounded.ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>Appends a coordinate with one decimal, without going through a format string: used for
    /// the thousands of scatter points, where it keeps both the file and the time small.</summary>
    public static void AppendTenths(StringBuilder sb, double value)
    {
        var tenths = (long)Math.Round(value * 10, MidpointRounding.AwayFromZero);
        if (tenths < 0)
        {
            sb.Append('-');
            tenths = -tenths;
        }

        sb.Append(tenths / 10);
        if (tenths % 10 != 0)
        {
            sb.Append('.').Append((char)('0' + tenths % 10));
        }
    }
}
