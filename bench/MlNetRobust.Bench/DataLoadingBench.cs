using System.Diagnostics;
using MlNetRobust.Data;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Data;

namespace MlNetRobust.Bench;

/// <summary>
/// Data loading: the CIFAR-10 JPEG copy (60,000 files, <see cref="Cifar10.Locate"/>) read end to end through
/// <c>LoadFromImageFolder</c> — listing, reading the files, decoding (one native call per batch) — first with no
/// cache ("cold": the decoder's speed; the files themselves are likely in the OS page cache), then the cache
/// build, then a fresh view reading the cache file (memory-mapped). Also the bare decoder on in-memory bytes.
/// The cache goes to a fresh temporary folder so no earlier cache can make "cold" warm.
/// </summary>
public static class DataLoadingBench
{
    public static Dictionary<string, object> Run(string? folder = null, int batchSize = 512, int? threads = null)
    {
        folder ??= Cifar10.Locate();
        if (folder is null)
        {
            return new Dictionary<string, object> { ["skipped"] = "CIFAR-10 JPEG copy not found (Cifar10.Locate() returned null; set MLNR_CIFAR10_JPG)" };
        }
        if (threads is { } n)
        {
            torch.set_num_threads(n);
        }
        var cacheFolder = Path.Combine(Path.GetTempPath(), $"mnr-bench-cache-{Guid.NewGuid():N}");
        var ctx = new RobustContext(seed: 0);
        var results = new Dictionary<string, object>
        {
            ["folder"] = folder,
            ["batch_size"] = batchSize,
            ["torch_threads"] = torch.get_num_threads(),
            ["processors"] = Environment.ProcessorCount,
        };
        try
        {
            long total = 0;
            double cold = 0, cached = 0, build = 0, listing = 0, open = 0;
            long cacheBytes = 0;
            foreach (var split in new[] { "train", "test" })
            {
                var path = Path.Combine(folder, split);
                var sw = Stopwatch.StartNew();
                using var plain = ctx.Data.LoadFromImageFolder(path, cache: false);
                listing += sw.Elapsed.TotalSeconds;
                ReadAll(plain, batchSize);
                cold += sw.Elapsed.TotalSeconds; // listing included
                total += plain.RowCount;

                sw.Restart();
                using (var building = ctx.Data.LoadFromImageFolder(path, cacheFolder: cacheFolder))
                {
                    ctx.Data.Cache(building);
                    cacheBytes += new FileInfo(building.CacheFile!).Length;
                }
                build += sw.Elapsed.TotalSeconds;

                sw.Restart();
                using var fromCache = ctx.Data.LoadFromImageFolder(path, cacheFolder: cacheFolder);
                open += sw.Elapsed.TotalSeconds;
                if (!fromCache.IsCached)
                {
                    throw new InvalidOperationException($"cache not used: {fromCache.CacheStatus}");
                }
                ReadAll(fromCache, batchSize);
                cached += sw.Elapsed.TotalSeconds; // listing and opening included
            }
            results["images"] = total;
            results["listing_s"] = Math.Round(listing, 3);
            results["cold_s"] = Math.Round(cold, 3);
            results["cold_images_per_s"] = Math.Round(total / cold);
            results["cache_build_s"] = Math.Round(build, 3);
            results["cache_bytes"] = cacheBytes;
            results["cached_open_s"] = Math.Round(open, 3);
            results["cached_s"] = Math.Round(cached, 3);
            results["cached_images_per_s"] = Math.Round(total / cached);
            results["decode_only"] = DecodeOnly(Path.Combine(folder, "test"), batchSize);
        }
        finally
        {
            if (Directory.Exists(cacheFolder))
            {
                Directory.Delete(cacheFolder, recursive: true);
            }
        }
        return results;
    }

    /// <summary>Reads every row in batches (the rows are dropped as they come).</summary>
    private static void ReadAll(IDataView view, int batchSize)
    {
        foreach (var batch in view.GetBatches(batchSize))
        {
            batch.Dispose();
        }
    }

    /// <summary>The decoder alone: the files' bytes already in memory, decoded batch by batch.</summary>
    private static Dictionary<string, object> DecodeOnly(string folder, int batchSize)
    {
        var files = Directory.EnumerateFiles(folder, "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var contents = files.Select(File.ReadAllBytes).ToArray();
        var sw = Stopwatch.StartNew();
        for (var start = 0; start < contents.Length; start += batchSize)
        {
            var chunk = contents.Skip(start).Take(batchSize).ToArray();
            var offsets = new long[chunk.Length + 1];
            for (var i = 0; i < chunk.Length; i++)
            {
                offsets[i + 1] = offsets[i] + chunk[i].Length;
            }
            var buffer = chunk.SelectMany(c => c).ToArray();
            using (torch.NewDisposeScope())
            {
                var decoded = Imaging.DecodeBatch(buffer, offsets);
                if (decoded.FirstOrDefault(d => d.Error is not null) is { Error: { } error })
                {
                    throw new InvalidDataException(error);
                }
            }
        }
        var seconds = sw.Elapsed.TotalSeconds;
        return new Dictionary<string, object>
        {
            ["images"] = contents.Length,
            ["seconds"] = Math.Round(seconds, 3),
            ["images_per_s"] = Math.Round(contents.Length / seconds),
        };
    }
}
