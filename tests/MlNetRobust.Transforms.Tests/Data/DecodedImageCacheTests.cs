using MlNetRobust.Data;

namespace MlNetRobust.Transforms.Tests.Data;

public class DecodedImageCacheTests
{
    private readonly RobustContext _ctx = new(seed: 1);

    private static TempFolder MakeSet(int perClass = 3)
    {
        var dir = new TempFolder();
        for (var i = 0; i < perClass; i++)
        {
            TestFiles.WriteJpeg(dir[$"set/cat/{i}.jpg"], 8, 6, seed: i);
            TestFiles.Copy(i % 2 == 0 ? "palette.png" : "rgba.png", dir[$"set/dog/{i}.png"]);
        }
        return dir;
    }

    private static (string[] Paths, int[] Labels, byte[][] Pixels, string?[] Modes) ReadEverything(IDataView view)
    {
        using var batch = TestFiles.ReadAll(view);
        var images = batch.GetImages(DefaultColumnNames.Image);
        return (batch.GetText(DefaultColumnNames.ImagePath), batch.GetKeys(DefaultColumnNames.Label),
            images.Select(i => i.Pixels).ToArray(), images.Select(i => i.OriginalMode).ToArray());
    }

    [Fact]
    public void The_first_full_read_writes_the_cache_and_the_next_load_reads_the_same_rows_without_decoding()
    {
        using var dir = new TempFolder();
        for (var i = 0; i < 4; i++)
        {
            // Uniform 8x6 RGB images (a cache holds one size).
            TestFiles.WriteJpeg(dir[$"set/{(i < 2 ? "cat" : "dog")}/{i}.jpg"], 8, 6, seed: i);
        }
        var cacheFolder = dir["cache"];
        using var first = _ctx.Data.LoadFromImageFolder(dir["set"], cacheFolder: cacheFolder);
        Assert.False(first.IsCached);
        Assert.Contains("no cache file yet", first.CacheStatus);
        var partial = first.GetRows([0, 1]);
        partial.Dispose();
        Assert.False(File.Exists(first.CacheFile)); // only a full read completes the cache

        var expected = ReadEverything(first);
        Assert.StartsWith("cache written", first.CacheStatus);
        Assert.True(File.Exists(first.CacheFile));
        Assert.Equal([Path.GetFileName(first.CacheFile!)], Directory.GetFiles(cacheFolder).Select(Path.GetFileName)); // no temp files left

        using var second = _ctx.Data.LoadFromImageFolder(dir["set"], cacheFolder: cacheFolder);
        Assert.True(second.IsCached, second.CacheStatus);
        Assert.Equal("Image<6x8, 3 channels>", second.Schema[DefaultColumnNames.Image].Type.ToString());
        var actual = ReadEverything(second);
        Assert.Equal(0, second.DecodedCount);
        Assert.Equal(expected.Paths, actual.Paths);
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.Equal(expected.Pixels, actual.Pixels);
        Assert.Equal(expected.Modes, actual.Modes);
        Assert.All(actual.Modes, m => Assert.Equal("RGB JPEG", m));

        // Cached again elsewhere: the same bytes, copied from the open cache.
        _ctx.Data.Cache(second, dir["elsewhere"]);
        var copied = Directory.GetFiles(dir["elsewhere"]).Single();
        Assert.Equal(File.ReadAllBytes(first.CacheFile!), File.ReadAllBytes(copied));
    }

    [Fact]
    public void A_changed_added_or_removed_file_invalidates_the_cache_which_is_then_rebuilt()
    {
        using var dir = new TempFolder();
        for (var i = 0; i < 3; i++)
        {
            TestFiles.WriteJpeg(dir[$"set/cat/{i}.jpg"], seed: i);
        }
        var cacheFolder = dir["cache"];
        using (var view = _ctx.Data.LoadFromImageFolder(dir["set"], cacheFolder: cacheFolder))
        {
            _ctx.Data.Cache(view);
        }

        TestFiles.WriteJpeg(dir["set/cat/1.jpg"], seed: 99);
        File.SetLastWriteTimeUtc(dir["set/cat/1.jpg"], new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        using (var changed = _ctx.Data.LoadFromImageFolder(dir["set"], cacheFolder: cacheFolder))
        {
            Assert.False(changed.IsCached);
            Assert.Contains("source files changed", changed.CacheStatus);
            using var batch = changed.GetRows([1]);
            Assert.Equal(1, changed.DecodedCount);
            using var again = _ctx.Data.LoadFromImageFolder(dir["set"], cache: false);
            using var fresh = again.GetRows([1]);
            Assert.Equal(fresh.GetImages(DefaultColumnNames.Image)[0].Pixels, batch.GetImages(DefaultColumnNames.Image)[0].Pixels);
            _ctx.Data.Cache(changed);
        }
        using (var rebuilt = _ctx.Data.LoadFromImageFolder(dir["set"], cacheFolder: cacheFolder))
        {
            Assert.True(rebuilt.IsCached);
        }

        TestFiles.WriteJpeg(dir["set/cat/3.jpg"], seed: 3);
        using (var added = _ctx.Data.LoadFromImageFolder(dir["set"], cacheFolder: cacheFolder))
        {
            Assert.False(added.IsCached);
            Assert.Equal(4, added.RowCount);
        }
    }

    [Fact]
    public void Images_of_different_sizes_are_not_cached_and_the_reason_is_given()
    {
        using var dir = MakeSet();
        TestFiles.WriteJpeg(dir["set/cat/big.jpg"], 16, 16);
        using var view = _ctx.Data.LoadFromImageFolder(dir["set"], cacheFolder: dir["cache"]);

        ReadEverything(view);
        Assert.False(view.IsCached);
        Assert.Contains("not cached: images differ in size", view.CacheStatus);
        var error = Assert.Throws<InvalidOperationException>(() => _ctx.Data.Cache(view));
        Assert.Contains("cannot cache these images: images differ in size or channels", error.Message);
        Assert.Contains("ResizeImages", error.Message);
    }

    [Fact]
    public void A_truncated_cache_file_is_ignored_and_rewritten()
    {
        using var dir = new TempFolder();
        TestFiles.WriteJpeg(dir["set/cat/0.jpg"]);
        TestFiles.WriteJpeg(dir["set/dog/0.jpg"], seed: 5);
        string cacheFile;
        using (var view = _ctx.Data.LoadFromImageFolder(dir["set"], cacheFolder: dir["cache"]))
        {
            cacheFile = _ctx.Data.Cache(view).CacheFile!;
        }
        var bytes = File.ReadAllBytes(cacheFile);
        File.WriteAllBytes(cacheFile, bytes[..(bytes.Length - 10)]);

        using var reread = _ctx.Data.LoadFromImageFolder(dir["set"], cacheFolder: dir["cache"]);
        Assert.False(reread.IsCached);
        Assert.Contains("truncated or corrupt", reread.CacheStatus);
        ReadEverything(reread);
        Assert.Equal(bytes, File.ReadAllBytes(cacheFile));
    }

    [Fact]
    public void With_skipInvalid_the_validating_pass_writes_the_cache_and_a_cached_load_reports_the_same_skipped_files()
    {
        using var dir = new TempFolder();
        for (var i = 0; i < 3; i++)
        {
            TestFiles.WriteJpeg(dir[$"set/cat/{i}.jpg"], seed: i);
        }
        TestFiles.WriteText(dir["set/cat/bad.jpg"], "oops");

        using var validated = _ctx.Data.LoadFromImageFolder(dir["set"], skipInvalid: true, cacheFolder: dir["cache"]);
        Assert.StartsWith("cache written", validated.CacheStatus);
        Assert.Equal(3, validated.RowCount);

        using var cached = _ctx.Data.LoadFromImageFolder(dir["set"], skipInvalid: true, cacheFolder: dir["cache"]);
        Assert.True(cached.IsCached);
        Assert.Equal(validated.Paths, cached.Paths);
        Assert.Equal(validated.Skipped, cached.Skipped);
        Assert.Contains("not an image", Assert.Single(cached.Skipped).Reason);

        // Without skipInvalid the bad file must fail when read, so that cache (which left it out) is not used.
        using var strict = _ctx.Data.LoadFromImageFolder(dir["set"], cacheFolder: dir["cache"]);
        Assert.False(strict.IsCached);
        Assert.Equal(4, strict.RowCount);
        Assert.Contains("not usable", strict.CacheStatus);
    }

    [Fact]
    public void A_csv_view_is_cached_too_keeping_each_rows_original_mode()
    {
        using var dir = new TempFolder();
        TestFiles.Copy("palette.png", dir["a.png"]);
        TestFiles.Copy("rgb.png", dir["b.png"]);
        var csv = TestFiles.WriteText(dir["list.csv"], "a.png,x\nb.png,y\n");
        using (var view = _ctx.Data.LoadFromCsv(csv, cacheFolder: dir["cache"]))
        {
            ReadEverything(view);
            Assert.StartsWith("cache written", view.CacheStatus);
        }
        using var cached = _ctx.Data.LoadFromCsv(csv, cacheFolder: dir["cache"]);
        Assert.True(cached.IsCached);
        var rows = ReadEverything(cached);
        Assert.Equal(new string?[] { "palette PNG", "RGB PNG" }, rows.Modes);
        Assert.Equal(TestFiles.Pattern(7, 5, 3), rows.Pixels[1]);
    }
}
