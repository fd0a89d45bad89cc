using System.Diagnostics;
using System.Globalization;

namespace MlNetRobust.Bench;

/// <summary>
/// Peak resident memory (RSS) of this process during one piece of work. On Linux the kernel's high-water mark
/// (VmHWM in /proc/self/status) is reset first by writing 5 to /proc/self/clear_refs, so the peak belongs to that work
/// alone (plus whatever the process already held: <c>rss_before_mb</c>). Where that is not possible the process's
/// lifetime peak is reported and <c>peak_scope</c> says so. bench/pytorch_bench.py measures its side the same way.
/// </summary>
public static class PeakMemory
{
    public sealed record Reading(double PeakMb, double BeforeMb, string Scope);

    public static (T Result, Reading Memory) Measure<T>(Func<T> work)
    {
        // Garbage from earlier benchmarks should not count against this one.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var reset = TryReset();
        var before = StatusMb("VmRSS");
        var result = work();
        var peak = reset ? StatusMb("VmHWM") : null;
        using var process = Process.GetCurrentProcess();
        return (result, new Reading(
            Math.Round(peak ?? process.PeakWorkingSet64 / 1048576.0, 1),
            Math.Round(before ?? process.WorkingSet64 / 1048576.0, 1),
            peak is null ? "process" : "benchmark"));
    }

    private static bool TryReset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>A "Name:   1234 kB" line of /proc/self/status in MiB, or null off Linux.</summary>
    private static double? StatusMb(string name)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return null;
        }
        foreach (var line in File.ReadLines(status))
        {
            if (line.StartsWith(name + ":", StringComparison.Ordinal))
            {
                var kb = line[(name.Length + 1)..].Trim().Split(' ')[0];
                return double.Parse(kb, CultureInfo.InvariantCulture) / 1024;
            }
        }
        return null;
    }
}
