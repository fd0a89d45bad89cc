using System.Text.Json;
using MlNetRobust.Cli.Infrastructure;

namespace MlNetRobust.Cli.Tests;

/// <summary>`mlnet-robust data` as a process on generated folders whose contents are known file by file.</summary>
public sealed class DataCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlnr-data-cmd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Decoded-image caches go to the test's folder, not the repository's data/.</summary>
    private Dictionary<string, string> Environment => new() { ["MLNR_CACHE_DIR"] = Path.Combine(_dir, "cache") };

    [Fact]
    public void Data_counts_classes_modes_sizes_and_bad_files_as_they_are_on_disk()
    {
        var root = Path.Combine(_dir, "images");
        for (var i = 0; i < 3; i++)
        {
            TestImages.WritePng(Path.Combine(root, "cat", $"rgb{i}.png"), seed: i);
        }
        TestImages.WriteJpeg(Path.Combine(root, "cat", "gray.jpg"), channels: 1);
        TestImages.WriteJpeg(Path.Combine(root, "dog", "a.jpg"));
        TestImages.WriteJpeg(Path.Combine(root, "dog", "wide.jpeg"), width: 40, height: 30);
        var corrupt = Path.Combine(root, "dog", "corrupt.jpg");
        File.WriteAllBytes(corrupt, File.ReadAllBytes(Path.Combine(root, "dog", "a.jpg")).Take(100).ToArray()); // a truncated JPEG
        var notes = TestImages.WriteText(Path.Combine(root, "dog", "notes.txt"), "not an image");

        var r = CliProcess.Run(Environment, "data", root, "--train-fraction", "0.5", "--seed", "3", "--json");
        Assert.True(r.Code == ExitCodes.Success, r.ToString());
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal("class folders", json.GetProperty("layout").GetString());
        var set = Assert.Single(json.GetProperty("sets").EnumerateArray());
        Assert.Equal(6, set.GetProperty("images").GetInt32());
        Assert.Equal(["cat=4", "dog=2"], Tallies(set, "classes", "name"));
        Assert.Equal(["RGB PNG=3", "RGB JPEG=2", "gray JPEG=1"], Tallies(set, "modes", "value"));
        Assert.Equal(["32x32=5", "40x30=1"], Tallies(set, "sizes", "value"));
        var skipped = set.GetProperty("skipped").EnumerateArray().ToDictionary(s => s.GetProperty("path").GetString()!, s => s.GetProperty("reason").GetString()!);
        Assert.Equal([corrupt, notes], skipped.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("not an image file name (extension '.txt'", skipped[notes]);

        var split = json.GetProperty("split");
        Assert.Equal(0.5, split.GetProperty("train_fraction").GetDouble());
        Assert.Equal(3, split.GetProperty("seed").GetInt32());
        Assert.Equal(["cat 2/2", "dog 1/1"], split.GetProperty("classes").EnumerateArray()
            .Select(c => $"{c.GetProperty("tag").GetString()} {c.GetProperty("train").GetInt64()}/{c.GetProperty("test").GetInt64()}"));
        Assert.Equal(6, split.GetProperty("totals").GetProperty("total").GetInt64());

        var table = CliProcess.Run(Environment, "data", root, "--train-fraction", "0.5");
        Assert.True(table.Code == ExitCodes.Success, table.ToString());
        Assert.Contains("6 images in 2 classes, 2 file(s) left out", table.Stdout);
        Assert.Contains($"left out {corrupt}: ", table.Stdout);
        Assert.Contains("│ total │     3 │    3 │     6 │    50.0 │   50.0 │", table.Stdout);
    }

    [Fact]
    public void Data_on_a_root_with_train_and_test_describes_both_and_splits_train()
    {
        var root = Path.Combine(_dir, "root");
        foreach (var (side, count) in new[] { ("train", 5), ("test", 2) })
        {
            foreach (var c in new[] { "a", "b" })
            {
                for (var i = 0; i < count; i++)
                {
                    TestImages.WriteJpeg(Path.Combine(root, side, c, $"{i}.jpg"), seed: i);
                }
            }
        }
        var r = CliProcess.Run(Environment, "data", root, "--json");
        Assert.True(r.Code == ExitCodes.Success, r.ToString());
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal("train/ and test/ class folders", json.GetProperty("layout").GetString());
        Assert.Equal([10, 4], json.GetProperty("sets").EnumerateArray().Select(s => s.GetProperty("images").GetInt32()));
        var split = json.GetProperty("split");
        Assert.Equal("train", split.GetProperty("set").GetString());
        // round(0.2 × 5) = 1 image of each class to training.
        Assert.Equal(2, split.GetProperty("totals").GetProperty("train").GetInt64());
        Assert.Equal(8, split.GetProperty("totals").GetProperty("test").GetInt64());
    }

    [Fact]
    public void Data_on_a_missing_folder_is_a_data_error_naming_it()
    {
        var missing = Path.Combine(_dir, "nope");
        var r = CliRunner.Run("data", missing);
        Assert.Equal(ExitCodes.DataError, r.ExitCode);
        Assert.Contains($"image folder '{missing}' does not exist", r.Stderr);
    }

    private static IEnumerable<string> Tallies(JsonElement set, string property, string name) =>
        set.GetProperty(property).EnumerateArray().Select(t => $"{t.GetProperty(name).GetString()}={t.GetProperty("images").GetInt64()}");
}
