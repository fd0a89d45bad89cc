using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using System.Text;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Data;

/// <summary>
/// A file holding every decoded image of a uniform-size image set, so a second load skips decoding: the
/// 60,000 CIFAR-10 JPEGs come back in about a second instead of being decoded again. Written atomically
/// (temp file + rename) by <see cref="ImageFileDataView"/> after its first full read (or by
/// <c>ctx.Data.Cache(view)</c>), read back by memory-mapping. A changed source folder (a file added, removed,
/// resized or touched) changes the fingerprint, and the stale cache is ignored and rewritten.
///
/// Layout, format version 1 (little-endian):
///   0   8  magic "MNRIMGC\0"
///   8   4  format version (1)
///   12  4  reserved (0)
///   16  8  row count N
///   24  4  height H, 28 4 width W, 32 4 channels C, 36 4 class count K
///   40  32 fingerprint: SHA-256 of the source listing (kind, class names, every file's path, size, mtime, label)
///   72  8  pixel offset P (a multiple of 64)
///   80  .. K class names (int32 byte length + UTF-8); int32 S skipped files, each int32 source index +
///          int32 byte length + UTF-8 reason; N row records of 12 bytes: int32 label, int32 source index
///          (position in the listing), byte format, byte colour mode, byte bit depth, byte 0
///   P   .. N × H × W × C pixel bytes, row-major H, W, C per image; the file ends there.
/// </summary>
public sealed class DecodedImageCache : IDisposable
{
    public const int FormatVersion = 1;

    /// <summary>The cache files' extension.</summary>
    public const string Extension = ".mnrcache";

    private static readonly byte[] s_magic = "MNRIMGC\0"u8.ToArray();
    private const int RowRecordSize = 12;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _accessor;
    private readonly unsafe byte* _base;
    private readonly long _pixelOffset;

    private unsafe DecodedImageCache(string path, MemoryMappedFile file, MemoryMappedViewAccessor accessor, CacheContents contents, long pixelOffset)
    {
        (Path, _file, _accessor, Contents, _pixelOffset) = (path, file, accessor, contents, pixelOffset);
        byte* p = null;
        _accessor.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _base = p + _accessor.PointerOffset;
    }

    public string Path { get; }

    /// <summary>Everything but the pixels.</summary>
    internal CacheContents Contents { get; }

    internal long ImageBytes => (long)Contents.Height * Contents.Width * Contents.Channels;

    /// <summary>Every row's pixels, back to back (valid while this cache is open).</summary>
    internal unsafe ReadOnlySpan<byte> AllPixels => new(_base + _pixelOffset, checked((int)(Contents.Count * ImageBytes)));

    /// <summary>The pixels of one row (valid while this cache is open).</summary>
    internal unsafe ReadOnlySpan<byte> Pixels(int row) => new(_base + _pixelOffset + row * ImageBytes, checked((int)ImageBytes));

    public void Dispose()
    {
        _accessor.SafeMemoryMappedViewHandle.ReleasePointer();
        _accessor.Dispose();
        _file.Dispose();
    }

    /// <summary>What a cache holds besides pixels.</summary>
    internal sealed record CacheContents(byte[] Fingerprint, int Height, int Width, int Channels, IReadOnlyList<string> Classes,
        int[] Labels, int[] Sources, byte[] Info, IReadOnlyList<(int Source, string Reason)> Skipped)
    {
        public int Count => Labels.Length;
    }

    /// <summary>SHA-256 of everything that decides a cache's contents.</summary>
    internal static byte[] Fingerprint(string kind, IReadOnlyList<string> classes, IEnumerable<(string Path, long Length, long Ticks, int Label)> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) => hash.AppendData(Encoding.UTF8.GetBytes(s + "\n"));
        Add($"mnr-image-cache {FormatVersion} {kind}");
        Add(string.Join("\u001f", classes));
        foreach (var f in files)
        {
            Add($"{f.Path}\t{f.Length}\t{f.Ticks}\t{f.Label}");
        }
        return hash.GetHashAndReset();
    }

    /// <summary>The cache file for a source (a folder or a CSV) inside <paramref name="folder"/>: readable name + hash of the full path.</summary>
    internal static string FileFor(string folder, string source, string kind)
    {
        var full = System.IO.Path.GetFullPath(source).TrimEnd(System.IO.Path.DirectorySeparatorChar);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + "\n" + full)))[..12];
        var name = new string(System.IO.Path.GetFileName(full).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return System.IO.Path.Combine(folder, $"{kind}-{name}-{hash}{Extension}");
    }

    /// <summary>Opens a cache whose fingerprint matches; null with the reason when it is missing, stale or unreadable.</summary>
    internal static DecodedImageCache? TryOpen(string path, byte[] fingerprint, out string reason)
    {
        if (!File.Exists(path))
        {
            reason = "no cache file yet";
            return null;
        }
        MemoryMappedFile? file = null;
        MemoryMappedViewAccessor? accessor = null;
        try
        {
            CacheContents contents;
            long pixelOffset;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete))
            {
                (contents, pixelOffset) = ReadHeader(stream, path);
                var expected = pixelOffset + contents.Count * (long)contents.Height * contents.Width * contents.Channels;
                if (stream.Length != expected)
                {
                    reason = $"cache '{path}' is {stream.Length} bytes, expected {expected} (truncated or corrupt); rebuilding it";
                    return null;
                }
            }
            if (!contents.Fingerprint.AsSpan().SequenceEqual(fingerprint))
            {
                reason = "the source files changed since the cache was written; rebuilding it";
                return null;
            }
            file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            accessor = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            reason = "";
            return new DecodedImageCache(path, file, accessor, contents, pixelOffset);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            accessor?.Dispose();
            file?.Dispose();
            reason = $"cache '{path}' could not be read ({e.Message}); rebuilding it";
            return null;
        }
    }

    private static (CacheContents, long) ReadHeader(Stream stream, string path)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (!reader.ReadBytes(8).AsSpan().SequenceEqual(s_magic))
        {
            throw new InvalidDataException("not an MlNetRobust image cache");
        }
        var version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"cache format version {version}, this build reads {FormatVersion}");
        }
        reader.ReadInt32();
        var count = reader.ReadInt64();
        int height = reader.ReadInt32(), width = reader.ReadInt32(), channels = reader.ReadInt32(), classCount = reader.ReadInt32();
        var fingerprint = reader.ReadBytes(32);
        var pixelOffset = reader.ReadInt64();
        if (count is < 0 or > int.MaxValue || height <= 0 || width <= 0 || channels is < 1 or > 4 || classCount < 0 || pixelOffset > stream.Length)
        {
            throw new InvalidDataException("header values out of range");
        }
        string ReadString()
        {
            var length = reader.ReadInt32();
            return length is >= 0 and < 1 << 20 ? Encoding.UTF8.GetString(reader.ReadBytes(length)) : throw new InvalidDataException("bad string length");
        }
        var classes = Enumerable.Range(0, classCount).Select(_ => ReadString()).ToList();
        var skippedCount = reader.ReadInt32();
        var skipped = new List<(int, string)>();
        for (var i = 0; i < skippedCount; i++)
        {
            skipped.Add((reader.ReadInt32(), ReadString()));
        }
        var table = reader.ReadBytes(checked((int)count * RowRecordSize));
        if (table.Length != count * RowRecordSize)
        {
            throw new InvalidDataException("row table truncated");
        }
        var labels = new int[count];
        var sources = new int[count];
        var info = new byte[count * 3];
        for (var i = 0; i < count; i++)
        {
            var record = table.AsSpan(i * RowRecordSize, RowRecordSize);
            labels[i] = BitConverter.ToInt32(record);
            sources[i] = BitConverter.ToInt32(record[4..]);
            record.Slice(8, 3).CopyTo(info.AsSpan(i * 3));
        }
        return (new CacheContents(fingerprint, height, width, channels, classes, labels, sources, info, skipped), pixelOffset);
    }

    /// <summary>
    /// Writes a cache atomically: a temp file in the same folder, flushed, then renamed over <paramref name="path"/>,
    /// so a reader never sees half a file and two writers never mix theirs.
    /// </summary>
    internal static void Write(string path, CacheContents contents, ReadOnlySpan<byte> pixels)
    {
        var imageBytes = (long)contents.Height * contents.Width * contents.Channels;
        if (pixels.Length != contents.Count * imageBytes)
        {
            throw new ArgumentException($"{pixels.Length} pixel bytes for {contents.Count} images of {imageBytes} bytes");
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                using var header = new MemoryStream();
                using (var writer = new BinaryWriter(header, Encoding.UTF8, leaveOpen: true))
                {
                    writer.Write(s_magic);
                    writer.Write(FormatVersion);
                    writer.Write(0);
                    writer.Write((long)contents.Count);
                    writer.Write(contents.Height);
                    writer.Write(contents.Width);
                    writer.Write(contents.Channels);
                    writer.Write(contents.Classes.Count);
                    writer.Write(contents.Fingerprint);
                    writer.Write(0L); // pixel offset, patched below
                    void WriteString(string s)
                    {
                        var bytes = Encoding.UTF8.GetBytes(s);
                        writer.Write(bytes.Length);
                        writer.Write(bytes);
                    }
                    foreach (var name in contents.Classes)
                    {
                        WriteString(name);
                    }
                    writer.Write(contents.Skipped.Count);
                    foreach (var (source, reason) in contents.Skipped)
                    {
                        writer.Write(source);
                        WriteString(reason);
                    }
                    for (var i = 0; i < contents.Count; i++)
                    {
                        writer.Write(contents.Labels[i]);
                        writer.Write(contents.Sources[i]);
                        writer.Write(contents.Info.AsSpan(i * 3, 3));
                        writer.Write((byte)0);
                    }
                    var pixelOffset = (header.Length + 63) / 64 * 64;
                    writer.Write(new byte[pixelOffset - header.Length]);
                    writer.Seek(72, SeekOrigin.Begin);
                    writer.Write(pixelOffset);
                }
                stream.Write(header.GetBuffer().AsSpan(0, (int)header.Length));
                stream.Write(pixels);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Describes the colour mode recorded for a row, as the decoder reported it.</summary>
    internal static ImageFileInfo InfoOf(byte[] info, int row) =>
        new((ImageFileFormat)info[3 * row], (ImageColorMode)info[3 * row + 1], info[3 * row + 2]);
}
