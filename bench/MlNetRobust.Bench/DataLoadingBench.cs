using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MlNetRobust.Data;
using MlNetRobust.Estimators;

namespace MlNetRobust.Bench;

/// <summary>
/// Loading JPEGs into float batches [N, 3, 32, 32] the way a pipeline does — <c>ctx.Data.LoadFromCsv</c> →
/// <c>ConvertToRgb</c> → <c>ExtractPixels</c>, read in batches — over a fixed subset of the CIFAR-10 JPEG copy: the
/// first files (ordinal order) of each training class, listed in a CSV that the PyTorch side reads too.
/// <list type="bullet">
/// <item>cold: no decoded-image cache, every file read and decoded (libjpeg-turbo, over libtorch's intra-op threads).
/// The files' bytes are read once beforehand, untimed, so both sides find them in the OS page cache: "cold" means
/// not decoded before, not "on disk".</item>
/// <item>cached: the decoded-image cache file is built first (untimed); each timed pass opens a fresh view, which
/// checks the files' sizes and times and memory-maps the cache, and reads every batch from it.</item>
/// </list>
/// Each pass covers every file; the median pass is reported.
/// </summary>
public static class DataLoadingBench
{
    private const string ListName = "files.csv";

    public static JsonObject Cold(BenchmarkSettings settings) => Run(settings, cached: false);

    public static JsonObject Cached(BenchmarkSettings settings) => Run(settings, cached: true);

    /// <summary>
    /// The JPEG files both sides read (written once per run as files.csv in the work folder, and read once so they sit
    /// in the page cache), or null with the reason when the CIFAR-10 copy is missing.
    /// </summary>
    public static (IReadOnlyList<string>? Files, string? Problem) Files(BenchmarkSettings settings)
    {
        var list = Path.Combine(settings.WorkFolder, ListName);
        if (File.Exists(list))
        {
            return (File.ReadLines(list).Skip(1).Select(line => line[..line.LastIndexOf(',')]).ToList(), null);
        }
        var train = settings.DataFolder is null ? null : Path.Combine(settings.DataFolder, "train");
        if (train is null || !Directory.Exists(train))
        {
            return (null, settings.DataFolder is null
                ? "the CIFAR-10 JPEG copy was not found (pass --data, or set MLNR_CIFAR10_JPG)"
                : $"'{train}' does not exist (--data must be the CIFAR-10 JPEG folder holding train/)");
        }
        var classes = Directory.GetDirectories(train).Order(StringComparer.Ordinal).ToArray();
        var perClass = (int)Math.Ceiling(settings.Sizes.DataFiles / (double)Math.Max(1, classes.Length));
        var rows = classes
            .SelectMany(folder => Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Take(perClass)
                .Select(file => (File: file, Label: Path.GetFileName(folder))))
            .Take(settings.Sizes.DataFiles)
            .ToList();
        if (rows.Count < settings.Sizes.DataFiles)
        {
            return (null, $"'{train}' holds only {rows.Count} of the {settings.Sizes.DataFiles} JPEG files needed");
        }
        foreach (var (file, _) in rows)
        {
            File.ReadAllBytes(file);
        }
        var csv = new StringBuilder("path,label\n");
        foreach (var (file, label) in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{file},{label}\n");
        }
        Directory.CreateDirectory(settings.WorkFolder);
        File.WriteAllText(list, csv.ToString());
        return (rows.Select(r => r.File).ToList(), null);
    }

    private static JsonObject Run(BenchmarkSettings settings, bool cached)
    {
        var (files, problem) = Files(settings);
        if (files is null)
        {
            return new JsonObject { ["skipped"] = problem };
        }
        var csv = Path.Combine(settings.WorkFolder, ListName);
        var cacheFolder = Path.Combine(settings.WorkFolder, "cache");
        var ctx = new RobustContext(seed: 0);
        var batch = settings.Sizes.DataBatch;
        var pixels = ctx.Transforms.ConvertToRgb().Append(ctx.Transforms.ExtractPixels());
        if (cached && !Directory.Exists(cacheFolder))
        {
            using var building = ctx.Data.LoadFromCsv(csv, cacheFolder: cacheFolder);
            ctx.Data.Cache(building);
        }

        void Pass()
        {
            using var images = ctx.Data.LoadFromCsv(csv, cache: cached, cacheFolder: cacheFolder);
            if (cached && !images.IsCached)
            {
                throw new InvalidOperationException($"the decoded-image cache was not used: {images.CacheStatus}");
            }
            var view = pixels.Fit(images).Transform(images);
            foreach (var b in view.GetBatches(batch))
            {
                using (b)
                {
                    b.GetTensor(DefaultColumnNames.Features);
                }
            }
        }

        var seconds = Timing.Repeat(1, settings.Steps, Pass);
        var median = Timing.Median(seconds);
        return new JsonObject
        {
            ["images_per_second"] = Math.Round(files.Count / median, 1),
            ["batch"] = batch,
            ["images"] = files.Count,
            ["median_seconds_per_pass"] = Timing.Round(median),
            ["timed_passes"] = seconds.Count,
            ["source"] = cached ? "decoded-image cache (memory-mapped)" : "JPEG files (libjpeg-turbo), no cache",
        };
    }
}
