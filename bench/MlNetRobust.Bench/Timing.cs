using System.Diagnostics;
using MlNetRobust.Data;

namespace MlNetRobust.Bench;

/// <summary>Wall-clock helpers: every benchmark reports the median of its timed repetitions.</summary>
internal static class Timing
{
    public static double Median(IReadOnlyList<double> seconds)
    {
        if (seconds.Count == 0)
        {
            throw new InvalidOperationException("nothing was timed");
        }
        var sorted = seconds.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Runs <paramref name="action"/> <paramref name="warmUp"/> times untimed, then <paramref name="timed"/> times timed.</summary>
    public static List<double> Repeat(int warmUp, int timed, Action action)
    {
        for (var i = 0; i < warmUp; i++)
        {
            action();
        }
        var seconds = new List<double>(timed);
        for (var i = 0; i < timed; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            seconds.Add(clock.Elapsed.TotalSeconds);
        }
        return seconds;
    }

    /// <summary>Seconds each batch of <paramref name="batches"/> took to produce (each is disposed at once).</summary>
    public static List<double> EachBatch(IEnumerable<DataBatch> batches, Action<DataBatch>? use = null)
    {
        var seconds = new List<double>();
        using var enumerator = batches.GetEnumerator();
        while (true)
        {
            var clock = Stopwatch.StartNew();
            if (!enumerator.MoveNext())
            {
                break;
            }
            using (var batch = enumerator.Current)
            {
                use?.Invoke(batch);
            }
            seconds.Add(clock.Elapsed.TotalSeconds);
        }
        return seconds;
    }

    public static double Round(double value, int digits = 4) => Math.Round(value, digits);
}
