namespace MlNetRobust.Reporting.Charts;

/// <summary>Ticks at "nice" values (1, 2 or 5 × 10^k apart) covering a data range, after Heckbert's
/// "Nice numbers for graph labels" (Graphics Gems, 1990). The axis then runs from the first tick to the
/// last, so every axis starts and ends on a labelled value.</summary>
/// <example><c>NiceScale.Compute(0, 1)</c> gives ticks 0, 0.2, 0.4, 0.6, 0.8, 1.</example>
public static class NiceScale
{
    /// <summary>Ticks for data between <paramref name="min"/> and <paramref name="max"/>.</summary>
    /// <param name="targetCount">About how many ticks to aim for (at least 2).</param>
    /// <param name="integer">Keep ticks on whole numbers (epochs, counts).</param>
    public static AxisTicks Compute(double min, double max, int targetCount = 6, bool integer = false)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
        {
            (min, max) = (0, 1);
        }

        if (min > max)
        {
            (min, max) = (max, min);
        }

        if (min == max)
        {
            // One value: widen around it, keeping 0 as the lower end when the value is 0.
            var pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            (min, max) = min == 0 ? (0, 1) : (min - pad, max + pad);
        }

        targetCount = Math.Max(2, targetCount);
        var range = Nice(max - min, round: false);
        var step = Nice(range / (targetCount - 1), round: true);
        if (integer)
        {
            step = Math.Max(1, Math.Round(step));
        }

        var first = Math.Floor(min / step + 1e-9);
        var last = Math.Ceiling(max / step - 1e-9);
        var decimals = NumberFormat.DecimalsFor(step) + 1;
        var values = new double[(int)(last - first) + 1];
        for (var i = 0; i < values.Length; i++)
        {
            // Multiples of the step, rounded, so 3 × 0.2 is 0.6 and not 0.6000000000000001.
            values[i] = Math.Round((first + i) * step, Math.Min(decimals, 15));
        }

        return new AxisTicks(values[0], values[^1], step, values);
    }

    // The nice number (1, 2, 5 or 10 × 10^k) closest to x (round) or not below it.
    private static double Nice(double x, bool round)
    {
        var exponent = Math.Floor(Math.Log10(x));
        var power = Math.Pow(10, exponent);
        var fraction = x / power;
        double nice = round
            ? fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
            : fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }
}

/// <summary>The ticks of one axis: the axis runs from <see cref="Min"/> to <see cref="Max"/>, and
/// <see cref="Values"/> are <see cref="Step"/> apart.</summary>
public sealed record AxisTicks(double Min, double Max, double Step, IReadOnlyList<double> Values);
