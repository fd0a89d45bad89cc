using System.Text.Json.Nodes;

namespace MlNetRobust.Bench;

/// <summary>What a benchmark's headline number is, and so which way is faster.</summary>
public enum BenchmarkMeasure
{
    /// <summary><c>images_per_second</c>: higher is faster.</summary>
    ImagesPerSecond,

    /// <summary><c>seconds</c> for the whole job: lower is faster.</summary>
    Seconds,

    /// <summary>No single headline number (a table of cases).</summary>
    None,
}

/// <summary>
/// One benchmark of the suite. <see cref="Run"/> does the work with the product's own code and returns its numbers
/// (the headline key named by <see cref="Measure"/>, plus batch size and details); the suite adds the thread count and
/// the peak memory. <see cref="InDefaultSuite"/>: run when no --only list is given; the others are extras.
/// <see cref="ComparedWithPyTorch"/>: bench/pytorch_bench.py does the same work under the same name.
/// </summary>
public sealed record Benchmark(string Name, string Description, BenchmarkMeasure Measure, bool InDefaultSuite, bool ComparedWithPyTorch,
    Func<BenchmarkSettings, JsonObject> Run)
{
    /// <summary>The JSON key of the headline number, or null.</summary>
    public string? MeasureKey => Measure switch
    {
        BenchmarkMeasure.ImagesPerSecond => "images_per_second",
        BenchmarkMeasure.Seconds => "seconds",
        _ => null,
    };
}
