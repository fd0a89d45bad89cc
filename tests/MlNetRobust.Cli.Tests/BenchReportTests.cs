using System.Text.Json.Nodes;
using MlNetRobust.Bench;

namespace MlNetRobust.Cli.Tests;

/// <summary>How bench.json merges both sides and computes the speed ratios, and the table printed from it.</summary>
public sealed class BenchReportTests
{
    private static readonly Benchmark Throughput = new("train_x", "a training step", BenchmarkMeasure.ImagesPerSecond, true, true, _ => []);
    private static readonly Benchmark Duration = new("knn_x", "a search", BenchmarkMeasure.Seconds, true, true, _ => []);
    private static readonly Benchmark OursOnly = new("table_x", "many cases", BenchmarkMeasure.None, false, false, _ => []);

    private static JsonObject Report()
    {
        var settings = new BenchmarkSettings(Threads: 2, Steps: 5, Quick: false, DataFolder: null, WorkFolder: "/tmp/unused");
        var ours = new Dictionary<string, JsonObject>
        {
            ["train_x"] = new() { ["images_per_second"] = 60.0, ["batch"] = 128, ["peak_rss_mb"] = 1200.4 },
            ["knn_x"] = new() { ["seconds"] = 2.0, ["peak_rss_mb"] = 700.0 },
            ["table_x"] = new() { ["cases"] = 3, ["peak_rss_mb"] = 300.0 },
        };
        var pytorch = new JsonObject
        {
            ["environment"] = new JsonObject { ["torch"] = "1.13.0" },
            ["benchmarks"] = new JsonObject
            {
                ["train_x"] = new JsonObject { ["images_per_second"] = 50.0, ["batch"] = 128, ["peak_rss_mb"] = 1500.0 },
                ["knn_x"] = new JsonObject { ["seconds"] = 3.0, ["peak_rss_mb"] = 800.0 },
            },
        };
        return BenchReport.Create(settings, [Throughput, Duration, OursOnly], ours, new JsonObject { ["libtorch"] = "1.13.0" }, pytorch, "compared");
    }

    [Fact]
    public void Speed_ratio_is_ours_over_pytorch_for_throughput_and_pytorch_over_ours_for_seconds()
    {
        var benchmarks = (JsonObject)Report()["benchmarks"]!;
        Assert.Equal(1.2, benchmarks["train_x"]!["speed_ratio"]!.GetValue<double>());   // 60 / 50 images/s
        Assert.Equal(1.5, benchmarks["knn_x"]!["speed_ratio"]!.GetValue<double>());     // 3 s / 2 s: ours is 1.5x as fast
        Assert.Null(benchmarks["table_x"]!["speed_ratio"]);
        Assert.Equal("no PyTorch counterpart", benchmarks["table_x"]!["pytorch"]!["unavailable"]!.GetValue<string>());
    }

    [Fact]
    public void No_ratio_when_a_side_has_no_positive_number()
    {
        Assert.Null(BenchReport.SpeedRatio(Throughput, new JsonObject { ["images_per_second"] = 10.0 }, new JsonObject { ["skipped"] = "no data" }));
        Assert.Null(BenchReport.SpeedRatio(Duration, new JsonObject { ["seconds"] = 0.0 }, new JsonObject { ["seconds"] = 1.0 }));
    }

    [Fact]
    public void The_report_carries_both_environments_and_the_settings()
    {
        var report = Report();
        Assert.Equal(BenchReport.Format, report["format"]!.GetValue<int>());
        Assert.Equal(2, report["threads"]!.GetValue<int>());
        Assert.Equal("compared", report["pytorch"]!.GetValue<string>());
        Assert.Equal("1.13.0", report["environment"]!["mlnet_robust"]!["libtorch"]!.GetValue<string>());
        Assert.Equal("1.13.0", report["environment"]!["pytorch"]!["torch"]!.GetValue<string>());
    }

    [Fact]
    public void The_table_shows_both_numbers_the_ratio_and_peak_memory()
    {
        Assert.Equal(
        [
            "benchmark  measure   MlNetRobust  PyTorch  speed ratio  peak MB (ours)  peak MB (PyTorch)",
            "train_x    images/s         60.0     50.0         1.20            1200               1500",
            "knn_x      seconds         2.000    3.000         1.50             700                800",
            "table_x    -                   -      n/a            -             300                  -",
        ], BenchReport.Table(Report()));
    }
}
