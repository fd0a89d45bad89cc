using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlNetRobust.Bench;

/// <summary>
/// bench.json: the run's settings, both sides' environments, and per benchmark MlNetRobust's result, PyTorch's (when
/// compared) and <c>speed_ratio</c> = MlNetRobust's speed / PyTorch's (images/s ÷ images/s, or seconds⁻¹ ÷ seconds⁻¹):
/// above 1 means MlNetRobust was faster. Layout (format 1):
/// <code>
/// { "format": 1, "created_utc", "quick", "threads", "steps", "pytorch": "compared" | "skipped: why" | "failed: why",
///   "environment": { "mlnet_robust": {...}, "pytorch": {...} },
///   "benchmarks": { "train_cross_entropy": { "description", "measure": "images_per_second" | "seconds" | null,
///                   "mlnet_robust": {...}, "pytorch": {...}, "speed_ratio": 1.02 }, ... } }
/// </code>
/// </summary>
public static class BenchReport
{
    public const int Format = 1;

    public static JsonObject Create(BenchmarkSettings settings, IReadOnlyList<Benchmark> benchmarks, IReadOnlyDictionary<string, JsonObject> ours,
        JsonObject oursEnvironment, JsonObject? pytorch, string pytorchStatus)
    {
        var results = new JsonObject();
        var theirs = pytorch?["benchmarks"] as JsonObject;
        foreach (var benchmark in benchmarks)
        {
            var entry = new JsonObject
            {
                ["description"] = benchmark.Description,
                ["measure"] = benchmark.MeasureKey,
                ["mlnet_robust"] = ours[benchmark.Name].DeepClone(),
            };
            if (theirs?[benchmark.Name] is JsonObject their)
            {
                entry["pytorch"] = their.DeepClone();
                if (SpeedRatio(benchmark, ours[benchmark.Name], their) is { } ratio)
                {
                    entry["speed_ratio"] = Math.Round(ratio, 3);
                }
            }
            else if (!benchmark.ComparedWithPyTorch)
            {
                entry["pytorch"] = new JsonObject { ["unavailable"] = "no PyTorch counterpart" };
            }
            results[benchmark.Name] = entry;
        }
        return new JsonObject
        {
            ["format"] = Format,
            ["created_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["quick"] = settings.Quick,
            ["threads"] = settings.Threads,
            ["steps"] = settings.Steps,
            ["pytorch"] = pytorchStatus,
            ["environment"] = new JsonObject
            {
                ["mlnet_robust"] = oursEnvironment.DeepClone(),
                ["pytorch"] = pytorch?["environment"]?.DeepClone(),
            },
            ["benchmarks"] = results,
        };
    }

    /// <summary>MlNetRobust's speed over PyTorch's, or null when either side has no positive headline number.</summary>
    public static double? SpeedRatio(Benchmark benchmark, JsonObject ours, JsonObject theirs)
    {
        if (benchmark.MeasureKey is not { } key || Number(ours, key) is not { } a || Number(theirs, key) is not { } b || a <= 0 || b <= 0)
        {
            return null;
        }
        return benchmark.Measure == BenchmarkMeasure.Seconds ? b / a : a / b;
    }

    private static double? Number(JsonObject result, string key) =>
        result[key] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    /// <summary>Writes <paramref name="report"/> to <paramref name="path"/> atomically (temp file + rename).</summary>
    public static void Write(JsonObject report, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The report as an aligned text table: one row per benchmark with both numbers, the ratio and peak memory.</summary>
    public static IReadOnlyList<string> Table(JsonObject report)
    {
        string[] heading = ["benchmark", "measure", "MlNetRobust", "PyTorch", "speed ratio", "peak MB (ours)", "peak MB (PyTorch)"];
        var rows = new List<string[]> { heading };
        foreach (var (name, node) in (JsonObject)report["benchmarks"]!)
        {
            var entry = (JsonObject)node!;
            var measure = entry["measure"]?.GetValue<string>();
            var ours = (JsonObject)entry["mlnet_robust"]!;
            var theirs = entry["pytorch"] as JsonObject;
            rows.Add(
            [
                name,
                measure switch { "images_per_second" => "images/s", "seconds" => "seconds", _ => "-" },
                Cell(ours, measure),
                theirs is null ? "-" : Cell(theirs, measure),
                entry["speed_ratio"] is JsonValue r ? r.GetValue<double>().ToString("0.00", CultureInfo.InvariantCulture) : "-",
                Megabytes(ours),
                theirs is null ? "-" : Megabytes(theirs),
            ]);
        }
        var widths = Enumerable.Range(0, heading.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        return rows.Select(r => string.Join("  ", r.Select((cell, c) => c < 2 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd()).ToList();
    }

    private static string Cell(JsonObject result, string? measure)
    {
        if (result["skipped"] is JsonValue)
        {
            return "skipped";
        }
        if (result["unavailable"] is JsonValue)
        {
            return "n/a";
        }
        if (result["error"] is JsonValue)
        {
            return "error";
        }
        if (measure is null || Number(result, measure) is not { } value)
        {
            return "-";
        }
        return measure == "seconds"
            ? value.ToString(value < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture)
            : value.ToString("0.0", CultureInfo.InvariantCulture);
    }

    private static string Megabytes(JsonObject result) =>
        Number(result, "peak_rss_mb") is { } mb ? mb.ToString("0", CultureInfo.InvariantCulture) : "-";
}
