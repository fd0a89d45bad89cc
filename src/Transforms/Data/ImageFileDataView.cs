using MlNetRobust.Data;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Data;

/// <summary>A file or record a loader left out, and why: nothing is dropped silently.</summary>
public sealed record SkippedItem(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}

/// <summary>One image file a loader listed: its full path, label, and what the fingerprint needs.</summary>
internal sealed record ImageFileEntry(string Path, int Label, long Length, long LastWriteTicks, string Where = "")
{
    /// <summary>The file for messages, with its CSV line when it came from one.</summary>
    public string Describe(long row) => Where.Length == 0 ? $"'{Path}' (row {row})" : $"'{Path}' (row {row}, {Where})";
}

/// <summary>How a file-backed loader treats bad files and caching.</summary>
internal sealed record ImageLoadSettings(bool SkipInvalid, bool UseCache, string? CacheFolder, (int Width, int Height)? ImageSize);

/// <summary>
/// Images in files, with columns ImagePath (Text), Label (Key, with the class names) and Image
/// (<see cref="RawImage"/>[]), returned by <c>LoadFromImageFolder</c> and <c>LoadFromCsv</c>.
///
/// Lazy: listing happens on construction, decoding only for the rows <see cref="GetRows"/> is asked for —
/// files read in parallel, then decoded by one native call in parallel (libtorch's intra-op threads). A bad
/// file fails the batch that contains it, with its path, row and reason; other batches are not affected.
///
/// <b>skipInvalid</b>: content can only be judged by decoding, so with skipInvalid the view decodes every
/// file once on construction (a validating pass, in parallel), leaves out the ones that fail and lists each
/// with its reason in <see cref="Skipped"/>. Files without an image extension are listed there too, always.
///
/// <b>Cache</b> (when enabled): the first time every row has been decoded — after a full pass, or the validating
/// pass — and all images share one size, the decoded pixels are written to one <see cref="DecodedImageCache"/>
/// file; later views over the same unchanged files read it (memory-mapped) instead of decoding.
/// <see cref="CacheStatus"/> says what happened.
/// </summary>
public sealed class ImageFileDataView : IDataView, IDisposable
{
    /// <summary>Batch size of the validating pass and of <c>Cache</c>.</summary>
    internal const int PassBatchSize = 1024;

    private readonly ImageFileEntry[] _entries;
    private readonly IReadOnlyList<string> _classes;
    private readonly ImageLoadSettings _settings;
    private readonly string _kind;
    private readonly byte[] _fingerprint;
    private readonly object _lock = new();
    private int[] _rows;
    private List<SkippedItem> _skipped;
    private DecodedImageCache? _cache;
    private Staging? _staging;
    private IReadOnlyList<(int Source, string Reason)> _contentSkipped = [];
    private long _decoded;
    private (int Height, int Width, int Channels)? _validatedShape;

    internal ImageFileDataView(string source, string kind, ImageFileEntry[] entries, IReadOnlyList<string> classes,
        List<SkippedItem> skipped, ImageLoadSettings settings)
    {
        (Source, _kind, _entries, _classes, _skipped, _settings) = (Path.GetFullPath(source), kind, entries, classes, skipped, settings);
        _rows = Enumerable.Range(0, entries.Length).ToArray();
        _fingerprint = DecodedImageCache.Fingerprint(kind, classes, entries.Select(e => (e.Path, e.Length, e.LastWriteTicks, e.Label)));
        CacheStatus = "cache disabled";
        if (settings.UseCache)
        {
            CacheFile = DecodedImageCache.FileFor(settings.CacheFolder ?? DataLocations.CacheFolder, source, kind);
            TryUseCache();
        }
        if (_cache is null && settings.SkipInvalid)
        {
            ValidateAll();
        }
        var (h, w, c) = _cache is { } cache ? (cache.Contents.Height, cache.Contents.Width, (int?)cache.Contents.Channels)
            : _staging is { Complete: true } s ? (s.Height, s.Width, s.Channels)
            : _validatedShape is { } v ? (v.Height, v.Width, v.Channels)
            : settings.ImageSize is { } size ? (size.Height, size.Width, (int?)null)
            : (0, 0, null);
        Schema = new DataViewSchema([
            (DefaultColumnNames.ImagePath, TextType.Instance),
            (DefaultColumnNames.Label, new KeyType(classes)),
            (DefaultColumnNames.Image, h > 0 ? new ImageType(h, w, c) : new ImageType()),
        ]);
    }

    /// <summary>The folder or CSV file the images were listed from (full path).</summary>
    public string Source { get; }

    public DataViewSchema Schema { get; }

    public long RowCount => _rows.Length;

    /// <summary>The class names in label order.</summary>
    public IReadOnlyList<string> ClassNames => _classes;

    /// <summary>Files (and CSV lines) left out, each with its reason.</summary>
    public IReadOnlyList<SkippedItem> Skipped => _skipped;

    /// <summary>The full path of each row's file, in row order.</summary>
    public IReadOnlyList<string> Paths => _rows.Select(r => _entries[r].Path).ToList();

    /// <summary>Each row's label, in row order (no decoding needed).</summary>
    public IReadOnlyList<int> Labels => _rows.Select(r => _entries[r].Label).ToList();

    /// <summary>The cache file this view reads or will write; null when caching is off.</summary>
    public string? CacheFile { get; }

    /// <summary>True when rows come from the cache file (or from pixels gathered for it) instead of being decoded.</summary>
    public bool IsCached => _cache is not null || _staging is { Complete: true };

    /// <summary>What the cache did: used, written, or why not (files changed, sizes differ, too large…).</summary>
    public string CacheStatus { get; private set; }

    /// <summary>How many images this view has decoded so far (tests use it to check laziness).</summary>
    internal long DecodedCount => Interlocked.Read(ref _decoded);

    public DataBatch GetRows(IReadOnlyList<long> rowIds) => GetColumns(rowIds, [DefaultColumnNames.ImagePath, DefaultColumnNames.Label, DefaultColumnNames.Image]);

    /// <summary>Paths and labels come from the listing; images are decoded (or read from the cache) only when asked for.</summary>
    public DataBatch GetColumns(IReadOnlyList<long> rowIds, IReadOnlyCollection<string> columns)
    {
        var ids = rowIds.ToArray();
        var entries = new int[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            if (ids[i] < 0 || ids[i] >= _rows.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(rowIds), ids[i], $"row id outside 0..{_rows.Length - 1}");
            }
            entries[i] = _rows[ids[i]];
        }
        var values = new Dictionary<string, object>
        {
            [DefaultColumnNames.ImagePath] = entries.Select(e => _entries[e].Path).ToArray(),
            [DefaultColumnNames.Label] = entries.Select(e => _entries[e].Label).ToArray(),
        };
        var wantImages = columns.Contains(DefaultColumnNames.Image);
        if (wantImages)
        {
            values[DefaultColumnNames.Image] = TryReadCached(ids) ?? DecodeRows(ids, entries);
        }
        return new DataBatch(wantImages ? Schema : Schema.Without(DefaultColumnNames.Image), ids, values).Select(columns);
    }

    /// <summary>
    /// Decodes every row now (in parallel batches) and writes the cache file if it is missing; returns the
    /// path, or throws with the reason when the images cannot be cached (sizes differ, a file is bad).
    /// </summary>
    public string BuildCache(string? folder = null)
    {
        var path = folder is null && CacheFile is not null ? CacheFile
            : DecodedImageCache.FileFor(folder ?? DataLocations.CacheFolder, Source, _kind);
        Staging staging;
        lock (_lock)
        {
            if (_cache is not null)
            {
                if (_cache.Path != path)
                {
                    DecodedImageCache.Write(path, _cache.Contents, _cache.AllPixels);
                }
                return path;
            }
            if (_staging is { Complete: true, Written: true } done && done.Path == path)
            {
                return path;
            }
            staging = _staging = new Staging(path, _rows.Length);
        }
        for (var start = 0; start < _rows.Length; start += PassBatchSize)
        {
            var ids = Enumerable.Range(start, Math.Min(PassBatchSize, _rows.Length - start)).Select(i => (long)i).ToArray();
            DecodeRows(ids, ids.Select(i => _rows[i]).ToArray());
            if (staging.Abandoned is { } why)
            {
                throw new InvalidOperationException($"{Source}: cannot cache these images: {why}");
            }
        }
        return staging.Written ? path : throw new IOException($"{Source}: {CacheStatus}");
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _cache?.Dispose();
            _cache = null;
        }
    }

    // ---- reading ------------------------------------------------------------------------------------

    private RawImage[]? TryReadCached(long[] ids)
    {
        lock (_lock)
        {
            if (_cache is { } cache)
            {
                var result = new RawImage[ids.Length];
                var (h, w, c) = (cache.Contents.Height, cache.Contents.Width, cache.Contents.Channels);
                for (var i = 0; i < ids.Length; i++)
                {
                    var row = (int)ids[i];
                    result[i] = new RawImage(w, h, c, cache.Pixels(row).ToArray(), _entries[_rows[row]].Path)
                    {
                        OriginalMode = DecodedImageCache.InfoOf(cache.Contents.Info, row).ToString(),
                    };
                }
                return result;
            }
            if (_staging is { Complete: true } s)
            {
                return ids.Select(id => s.Image((int)id, _entries[_rows[id]].Path)).ToArray();
            }
        }
        return null;
    }

    /// <summary>Reads and decodes the given rows; throws one error naming every bad file of the batch.</summary>
    private RawImage[] DecodeRows(long[] ids, int[] entries)
    {
        var (images, infos, errors) = Decode(entries);
        var bad = Enumerable.Range(0, ids.Length).Where(i => errors[i] is not null).ToList();
        if (bad.Count > 0)
        {
            var lines = bad.Take(10).Select(i => $"  {_entries[entries[i]].Describe(ids[i])}: {errors[i]}");
            var more = bad.Count > 10 ? $"\n  … and {bad.Count - 10} more" : "";
            throw new InvalidDataException(
                $"{bad.Count} of {ids.Length} images could not be loaded from {Source}:\n{string.Join("\n", lines)}{more}\n" +
                "Fix or remove these files, or load with skipInvalid: true to leave them out (each is then listed in Skipped).");
        }
        var result = images.Select(i => i!).ToArray();
        Stage(ids, result, infos);
        return result;
    }

    /// <summary>Reads the files in parallel, decodes them in one native batch call; per file an image or a reason.</summary>
    private (RawImage?[] Images, ImageFileInfo[] Infos, string?[] Errors) Decode(int[] entries)
    {
        var n = entries.Length;
        var errors = new string?[n];
        var contents = new byte[n][];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = n < 16 ? 1 : -1 }, i =>
        {
            try
            {
                contents[i] = File.ReadAllBytes(_entries[entries[i]].Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                contents[i] = [];
                errors[i] = $"cannot read the file ({e.Message})";
            }
        });
        var offsets = new long[n + 1];
        for (var i = 0; i < n; i++)
        {
            offsets[i + 1] = offsets[i] + contents[i].Length;
        }
        var buffer = GC.AllocateUninitializedArray<byte>(checked((int)offsets[n]));
        for (var i = 0; i < n; i++)
        {
            contents[i].CopyTo(buffer, offsets[i]);
        }
        var images = new RawImage?[n];
        var infos = new ImageFileInfo[n];
        using (torch.NewDisposeScope())
        {
            var decoded = Imaging.DecodeBatch(buffer, offsets);
            Interlocked.Add(ref _decoded, n);
            for (var i = 0; i < n; i++)
            {
                if (errors[i] is not null)
                {
                    continue;
                }
                var (tensor, info, error) = decoded[i];
                infos[i] = info;
                if (tensor is null)
                {
                    errors[i] = error;
                    continue;
                }
                var shape = tensor.shape;
                var (h, w, c) = ((int)shape[0], (int)shape[1], (int)shape[2]);
                if (_settings.ImageSize is { } size && (size.Width != w || size.Height != h))
                {
                    errors[i] = $"image is {w}x{h} ({info}), expected {size.Width}x{size.Height}; resize the files or load without imageSize and add ResizeImages";
                    continue;
                }
                images[i] = new RawImage(w, h, c, tensor.ToBytes(), _entries[entries[i]].Path) { OriginalMode = info.ToString() };
            }
        }
        return (images, infos, errors);
    }

    // ---- skipInvalid ---------------------------------------------------------------------------------

    /// <summary>Decodes every file once; the bad ones leave the rows and join <see cref="Skipped"/>.</summary>
    private void ValidateAll()
    {
        var kept = new List<int>(_entries.Length);
        var keptImages = new List<RawImage>();
        var keptInfos = new List<ImageFileInfo>();
        var uniform = true;
        var skipped = new List<(int Source, string Reason)>();
        for (var start = 0; start < _entries.Length; start += PassBatchSize)
        {
            var batch = Enumerable.Range(start, Math.Min(PassBatchSize, _entries.Length - start)).ToArray();
            var (images, infos, errors) = Decode(batch);
            for (var i = 0; i < batch.Length; i++)
            {
                if (errors[i] is { } reason)
                {
                    skipped.Add((batch[i], reason));
                    continue;
                }
                kept.Add(batch[i]);
                var shape = (images[i]!.Height, images[i]!.Width, images[i]!.Channels);
                uniform &= kept.Count == 1 || _validatedShape == shape;
                _validatedShape = shape;
                if (_settings.UseCache)
                {
                    keptImages.Add(images[i]!);
                    keptInfos.Add(infos[i]);
                }
            }
        }
        _rows = kept.ToArray();
        if (!uniform)
        {
            _validatedShape = null;
        }
        _contentSkipped = skipped;
        _skipped = [.. _skipped, .. skipped.Select(s => new SkippedItem(_entries[s.Source].Path, s.Reason + Where(s.Source)))];
        if (_settings.UseCache && CacheFile is not null)
        {
            _staging = new Staging(CacheFile, _rows.Length);
            Stage(Enumerable.Range(0, _rows.Length).Select(i => (long)i).ToArray(), keptImages.ToArray(), keptInfos.ToArray());
        }
    }

    private string Where(int entry) => _entries[entry].Where.Length == 0 ? "" : $" ({_entries[entry].Where})";

    // ---- the cache -----------------------------------------------------------------------------------

    private void TryUseCache()
    {
        var cache = DecodedImageCache.TryOpen(CacheFile!, _fingerprint, out var reason);
        if (cache is null)
        {
            CacheStatus = $"{reason}: {CacheFile}";
            _staging = new Staging(CacheFile!, _entries.Length);
            return;
        }
        var contents = cache.Contents;
        var sizeMismatch = _settings.ImageSize is { } size && (size.Width != contents.Width || size.Height != contents.Height);
        if ((contents.Skipped.Count > 0 && !_settings.SkipInvalid) || sizeMismatch || contents.Sources.Any(s => s < 0 || s >= _entries.Length))
        {
            cache.Dispose();
            CacheStatus = $"cache not usable with these options (it was built {(contents.Skipped.Count > 0 ? "skipping invalid files" : "for another image size")}): {CacheFile}";
            _staging = new Staging(CacheFile!, _entries.Length);
            return;
        }
        _cache = cache;
        _rows = contents.Sources;
        _contentSkipped = contents.Skipped;
        _skipped = [.. _skipped, .. contents.Skipped.Select(s => new SkippedItem(_entries[s.Source].Path, s.Reason + Where(s.Source)))];
        CacheStatus = $"read from cache {CacheFile}";
    }

    /// <summary>Copies decoded rows into the staging buffer; when every row is there, writes the cache file.</summary>
    private void Stage(long[] ids, RawImage[] images, ImageFileInfo[] infos)
    {
        lock (_lock)
        {
            if (_staging is not { Complete: false, Abandoned: null } staging || _cache is not null)
            {
                return;
            }
            if (!staging.Accepts(images))
            {
                CacheStatus = $"not cached: {staging.Abandoned}";
                return;
            }
            for (var i = 0; i < ids.Length; i++)
            {
                staging.Add((int)ids[i], images[i], infos[i]);
            }
            if (!staging.Complete)
            {
                return;
            }
            var contents = new DecodedImageCache.CacheContents(_fingerprint, staging.Height, staging.Width, staging.Channels, _classes,
                _rows.Select(r => _entries[r].Label).ToArray(), _rows.ToArray(), staging.Info, _contentSkipped);
            try
            {
                DecodedImageCache.Write(staging.Path, contents, staging.Pixels);
                staging.Written = true;
                CacheStatus = $"cache written: {staging.Path}";
                // Serve later rows from the mapped file: the OS page cache holds them instead of the managed heap.
                if (DecodedImageCache.TryOpen(staging.Path, _fingerprint, out _) is { } written)
                {
                    _cache = written;
                    _staging = null;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A read-only or full disk must not fail the data pass; the rows are still served from memory.
                CacheStatus = $"could not write the cache {staging.Path}: {e.Message}";
            }
        }
    }

    /// <summary>Decoded pixels gathered row by row until every row is there, then the cache's contents.</summary>
    private sealed class Staging(string path, int count)
    {
        private readonly bool[] _done = new bool[count];
        private int _doneCount;
        private string? _firstSource;

        public string Path { get; } = path;

        public int Height { get; private set; }

        public int Width { get; private set; }

        public int Channels { get; private set; }

        public byte[] Pixels { get; private set; } = [];

        public byte[] Info { get; } = new byte[count * 3];

        public bool Complete => Abandoned is null && _doneCount == count && count > 0;

        public bool Written { get; set; }

        public string? Abandoned { get; private set; }

        private long ImageBytes => (long)Height * Width * Channels;

        /// <summary>
        /// Checks a batch before anything is copied: every image must have the size of the first one seen, and
        /// the whole set must fit in memory (a quarter of what the process may use) and in one array.
        /// </summary>
        public bool Accepts(RawImage[] images)
        {
            if (images.Length == 0)
            {
                return true;
            }
            if (_firstSource is null)
            {
                var first = images[0];
                (Height, Width, Channels, _firstSource) = (first.Height, first.Width, first.Channels, first.Source);
            }
            if (images.FirstOrDefault(i => i.Height != Height || i.Width != Width || i.Channels != Channels) is { } odd)
            {
                Abandoned = $"images differ in size or channels ('{odd.Source}' is {odd.Width}x{odd.Height}x{odd.Channels}, '{_firstSource}' is {Width}x{Height}x{Channels}); add ResizeImages and ConvertToRgb after loading";
                Pixels = [];
                return false;
            }
            if (Pixels.Length == 0)
            {
                var total = count * ImageBytes;
                var limit = Math.Min(Array.MaxLength, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4);
                if (total > limit)
                {
                    Abandoned = $"{count} images of {Width}x{Height}x{Channels} need {total:N0} bytes, more than a cache may take ({limit:N0})";
                    return false;
                }
                Pixels = GC.AllocateUninitializedArray<byte>((int)total);
            }
            return true;
        }

        public void Add(int row, RawImage image, ImageFileInfo info)
        {
            image.Pixels.CopyTo(Pixels, row * ImageBytes);
            Info[3 * row] = (byte)info.Format;
            Info[3 * row + 1] = (byte)info.Mode;
            Info[3 * row + 2] = (byte)info.BitDepth;
            if (!_done[row])
            {
                _done[row] = true;
                _doneCount++;
            }
        }

        public RawImage Image(int row, string source) =>
            new(Width, Height, Channels, Pixels.AsSpan((int)(row * ImageBytes), (int)ImageBytes).ToArray(), source)
            {
                OriginalMode = DecodedImageCache.InfoOf(Info, row).ToString(),
            };
    }
}
