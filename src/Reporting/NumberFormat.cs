using System.Globalization;

namespace MlNetRobust.Reporting;

/// <summary>How a number is written in tables, tick labels and value labels. Always invariant culture,
/// so a report reads the same on every machine; NaN and infinities are written as an em dash.</summary>
/// <example><c>NumberFormat.Percent(1).Format(0.8342)</c> is <c>"83.4%"</c>.</example>
public sealed record NumberFormat
{
    private enum Kind
    {
        General,
        Fixed,
        Percent,
        Integer,
        Pattern,
        Seconds,
    }

    private readonly Kind _kind;
    private readonly int _decimals;
    private readonly string? _pattern;

    private NumberFormat(Kind kind, int decimals = 0, string? pattern = null)
    {
        _kind = kind;
        _decimals = decimals;
        _pattern = pattern;
    }

    /// <summary>What a missing or non-finite value is written as.</summary>
    public const string Missing = "\u2014";

    /// <summary>Up to four decimals, trailing zeros dropped (<c>0.25</c>, <c>3</c>).</summary>
    public static NumberFormat General { get; } = new(Kind.General);

    /// <summary>Whole numbers with thousands separators (<c>12,345</c>).</summary>
    public static NumberFormat Integer { get; } = new(Kind.Integer);

    /// <summary>A duration given in seconds, written for people (<c>42.0 s</c>, <c>3 min 05 s</c>, <c>1 h 02 min</c>).</summary>
    public static NumberFormat Seconds { get; } = new(Kind.Seconds);

    /// <summary>A fixed number of decimals (<c>Fixed(3)</c>: <c>0.125</c>).</summary>
    public static NumberFormat Fixed(int decimals) => new(Kind.Fixed, CheckDecimals(decimals));

    /// <summary>A fraction written as a percentage (<c>Percent(1)</c>: 0.8342 → <c>83.4%</c>).</summary>
    public static NumberFormat Percent(int decimals) => new(Kind.Percent, CheckDecimals(decimals));

    /// <summary>A .NET custom or standard numeric format string, applied with the invariant culture.</summary>
    public static NumberFormat Pattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return new(Kind.Pattern, pattern: pattern);
    }

    /// <summary>Whether values are fractions shown as percentages (axes then step in whole percents).</summary>
    public bool IsPercent => _kind == Kind.Percent;

    /// <summary>Writes <paramref name="value"/>.</summary>
    public string Format(double value)
    {
        if (!double.IsFinite(value))
        {
            return Missing;
        }

        var c = CultureInfo.InvariantCulture;
        return _kind switch
        {
            Kind.General => Clean(Math.Round(value, 4)).ToString("0.####", c),
            Kind.Fixed => Clean(Math.Round(value, _decimals)).ToString("F" + _decimals, c),
            Kind.Percent => Clean(Math.Round(value * 100, _decimals)).ToString("F" + _decimals, c) + "%",
            Kind.Integer => Clean(Math.Round(value)).ToString("N0", c),
            Kind.Pattern => value.ToString(_pattern, c),
            Kind.Seconds => FormatSeconds(value),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>Writes a tick label for an axis whose ticks are <paramref name="step"/> apart: with as
    /// many decimals as the step needs, and no more (0, 0.2, …, 1 rather than 0.0, 0.2, …, 1.0).</summary>
    internal string FormatTick(double value, double step)
    {
        var c = CultureInfo.InvariantCulture;
        switch (_kind)
        {
            case Kind.General:
                var decimals = DecimalsFor(step);
                return Clean(Math.Round(value, decimals)).ToString(decimals == 0 ? "0" : "0." + new string('#', decimals), c);
            case Kind.Percent:
                var percentDecimals = Math.Max(_decimals, DecimalsFor(step * 100));
                return Clean(Math.Round(value * 100, percentDecimals)).ToString("F" + percentDecimals, c) + "%";
            default:
                return Format(value);
        }
    }

    /// <summary>The decimals a tick step of the form {1, 2, 5} × 10^k needs to be written exactly.</summary>
    internal static int DecimalsFor(double step) =>
        step <= 0 || !double.IsFinite(step) ? 0 : Math.Clamp((int)-Math.Floor(Math.Log10(step) + 1e-9), 0, 12);

    private static string FormatSeconds(double seconds)
    {
        var c = CultureInfo.InvariantCulture;
        if (Math.Abs(seconds) < 60)
        {
            return Clean(Math.Round(seconds, 1)).ToString("0.0", c) + " s";
        }

        var sign = seconds < 0 ? "-" : string.Empty;
        var total = (long)Math.Round(Math.Abs(seconds));
        return total < 3600
            ? string.Create(c, $"{sign}{total / 60} min {total % 60:00} s")
            : string.Create(c, $"{sign}{total / 3600} h {total / 60 % 60:00} min");
    }

    // Rounding can leave -0, which would print as "-0"; make it 0.
    private static double Clean(double value) => value == 0 ? 0 : value;

    private static int CheckDecimals(int decimals) =>
        decimals is >= 0 and <= 12 ? decimals : throw new ArgumentOutOfRangeException(nameof(decimals), decimals, "expected 0 to 12");

    /// <inheritdoc/>
    public override string ToString() => _kind switch
    {
        Kind.Fixed or Kind.Percent => $"{_kind}({_decimals})",
        Kind.Pattern => $"Pattern({_pattern})",
        _ => _kind.ToString(),
    };
}
