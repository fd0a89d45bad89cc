using System.Globalization;

namespace MlNetRobust.Reporting.Charts;

/// <summary>Colours: Tableau 10 for classes and series (distinct, colour-blind aware, print well), and a
/// sequential blue ramp for heatmaps.</summary>
public static class Palette
{
    /// <summary>Tableau 10 (Tableau's 2016 default palette).</summary>
    public static IReadOnlyList<string> Tableau10 { get; } =
        ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    // ColorBrewer "Blues" (9 classes), light to dark.
    private static readonly string[] s_blues =
        ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"];

    /// <summary>The colour of class or series <paramref name="index"/>: Tableau 10 for the first ten;
    /// beyond, hues a golden angle apart, so any number of classes gets distinct, stable colours.</summary>
    public static string Category(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return index < Tableau10.Count ? Tableau10[index] : Hsl((index - Tableau10.Count) * 137.508 + 15, 0.55, 0.48);
    }

    /// <summary>The blue ramp at <paramref name="t"/> in [0, 1] (0 lightest), as #rrggbb.</summary>
    public static string Blues(double t)
    {
        t = double.IsFinite(t) ? Math.Clamp(t, 0, 1) : 0;
        var position = t * (s_blues.Length - 1);
        var i = Math.Min((int)position, s_blues.Length - 2);
        var (r0, g0, b0) = Parse(s_blues[i]);
        var (r1, g1, b1) = Parse(s_blues[i + 1]);
        var f = position - i;
        return Hex(r0 + (r1 - r0) * f, g0 + (g1 - g0) * f, b0 + (b1 - b0) * f);
    }

    /// <summary>Whether dark text reads on <paramref name="color"/> (#rrggbb); else use white.</summary>
    internal static bool IsLight(string color)
    {
        var (r, g, b) = Parse(color);
        // Relative luminance with the sRGB weights, on gamma-encoded values: enough to choose a text colour.
        return 0.2126 * r + 0.7152 * g + 0.0722 * b > 150;
    }

    private static string Hsl(double hue, double saturation, double lightness)
    {
        hue = (hue % 360 + 360) % 360 / 60;
        var chroma = (1 - Math.Abs(2 * lightness - 1)) * saturation;
        var x = chroma * (1 - Math.Abs(hue % 2 - 1));
        var (r, g, b) = (int)hue switch
        {
            0 => (chroma, x, 0d),
            1 => (x, chroma, 0d),
            2 => (0d, chroma, x),
            3 => (0d, x, chroma),
            4 => (x, 0d, chroma),
            _ => (chroma, 0d, x),
        };
        var m = lightness - chroma / 2;
        return Hex((r + m) * 255, (g + m) * 255, (b + m) * 255);
    }

    private static (double R, double G, double B) Parse(string hex) => (
        int.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        int.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        int.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    private static string Hex(double r, double g, double b) => string.Create(CultureInfo.InvariantCulture,
        $"#{(int)Math.Round(Math.Clamp(r, 0, 255)):x2}{(int)Math.Round(Math.Clamp(g, 0, 255)):x2}{(int)Math.Round(Math.Clamp(b, 0, 255)):x2}");
}
