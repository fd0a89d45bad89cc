// State-dict files in PyTorch's torch.save zip format (PyTorch >= 1.6, file format version 3).
// The archive holds one top-level folder, <prefix>/, with STORED (uncompressed) records:
//   <prefix>/data.pkl    pickle of the state dict (see PickleWriter / RestrictedUnpickler); each
//                        tensor is a strided view (offset, size, stride) of a storage named by key
//   <prefix>/byteorder   "little" (PyTorch >= 2.1 writes it; older versions assume little-endian)
//   <prefix>/data/<key>  the raw little-endian bytes of storage <key> ("0", "1", ...), 64-byte aligned
//   <prefix>/version     "3\n"
// PyTorch names <prefix> after the file (model.pt -> model/); we write "archive/" and read any
// name. Newer PyTorch versions add records such as .data/version, .data/serialization_id and
// .format_version; Load ignores them. Save gives every tensor its own storage; Load also reads
// views that share storages (slices, transposes) and gathers each into a contiguous TensorRecord.

using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace MlNetRobust.Torch.Serialization;

/// <summary>Reads and writes state dicts (name → tensor) in the format of PyTorch's <c>torch.save</c>,
/// without PyTorch: files written here load with <c>torch.load(path, weights_only=True)</c>, and
/// <see cref="Load(string)"/> reads files written by <c>torch.save(model.state_dict(), path)</c>.</summary>
/// <remarks>Loading never runs code from the file: the pickle is interpreted by a restricted
/// unpickler that refuses everything a state dict does not need (see <see cref="UnsafePickleException"/>).
/// Tensors saved from a GPU load as plain bytes like any other.</remarks>
public static partial class StateDictFile
{
    private const string Prefix = "archive";

    // The pickled magic number (0x1950a86a20f9469cfc6c) that starts legacy torch.save files.
    private static ReadOnlySpan<byte> LegacyMagic => [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

    /// <summary>Writes <paramref name="stateDict"/> to <paramref name="path"/> atomically: the file is
    /// written to a temporary file next to it, flushed to disk, then moved over <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">A name is null or repeated.</exception>
    public static void Save(IEnumerable<KeyValuePair<string, TensorRecord>> stateDict, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var entries = Validate(stateDict);
        var fullPath = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Write(entries, stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="stateDict"/> to <paramref name="stream"/>, which may be
    /// non-seekable and is left open.</summary>
    /// <exception cref="ArgumentException">A name is null or repeated.</exception>
    public static void Save(IEnumerable<KeyValuePair<string, TensorRecord>> stateDict, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Write(Validate(stateDict), stream);
    }

    /// <summary>Reads the state dict in <paramref name="path"/>, in the file's order.</summary>
    /// <exception cref="UnsafePickleException">The pickle references code or uses an opcode a state
    /// dict does not need.</exception>
    /// <exception cref="InvalidDataException">The file is not a torch.save zip, is corrupt or
    /// truncated, is in the legacy pre-1.6 format, or holds something other than name → tensor.</exception>
    public static IReadOnlyList<KeyValuePair<string, TensorRecord>> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load(stream, $"'{path}'");
    }

    /// <summary>Reads a state dict from <paramref name="stream"/>, which is left open.</summary>
    /// <exception cref="UnsafePickleException">As for <see cref="Load(string)"/>.</exception>
    /// <exception cref="InvalidDataException">As for <see cref="Load(string)"/>.</exception>
    public static IReadOnlyList<KeyValuePair<string, TensorRecord>> Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Load(stream, "the stream");
    }

    private static List<KeyValuePair<string, TensorRecord>> Validate(IEnumerable<KeyValuePair<string, TensorRecord>> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var entries = stateDict.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, record) in entries)
        {
            if (name is null)
            {
                throw new ArgumentException("a state-dict name is null", nameof(stateDict));
            }

            if (!names.Add(name))
            {
                throw new ArgumentException($"the name '{name}' appears twice in the state dict", nameof(stateDict));
            }

            if (record is null)
            {
                throw new ArgumentException($"the tensor named '{name}' is null", nameof(stateDict));
            }
        }

        return entries;
    }

    private static void Write(List<KeyValuePair<string, TensorRecord>> entries, Stream stream)
    {
        var pickled = entries
            .Select((entry, index) => new PickledEntry(entry.Key, entry.Value.DType, entry.Value.Shape, index.ToString(CultureInfo.InvariantCulture)))
            .ToList();
        var zip = new StoredZipWriter(stream);
        zip.Add($"{Prefix}/data.pkl", PickleWriter.WriteStateDict(pickled));
        zip.Add($"{Prefix}/byteorder", "little"u8);
        for (var i = 0; i < entries.Count; i++)
        {
            zip.Add($"{Prefix}/data/{pickled[i].StorageKey}", entries[i].Value.Data);
        }

        zip.Add($"{Prefix}/version", "3\n"u8);
        zip.Finish();
    }

    private static List<KeyValuePair<string, TensorRecord>> Load(Stream stream, string file)
    {
        if (!stream.CanSeek)
        {
            // ZipArchive needs to seek (it reads the directory at the end); it would buffer too.
            var buffered = new MemoryStream();
            stream.CopyTo(buffered);
            buffered.Position = 0;
            stream = buffered;
        }

        CheckSignature(stream, file);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{file} is not a readable zip archive (corrupt or truncated): {e.Message}", e);
        }

        using (archive)
        {
            var entries = IndexEntries(archive, file);
            var prefix = FindPrefix(entries, file);
            if (entries.TryGetValue($"{prefix}/byteorder", out var byteOrderEntry))
            {
                var byteOrder = Encoding.ASCII.GetString(ReadEntry(byteOrderEntry, file));
                if (byteOrder != "little")
                {
                    throw new InvalidDataException($"{file} has byte order '{byteOrder}'; only little-endian files are supported");
                }
            }

            var pickleName = $"{prefix}/data.pkl";
            var root = RestrictedUnpickler.Unpickle(ReadEntry(entries[pickleName], file), $"'{pickleName}' of {file}");
            return new StorageReader(entries, prefix, file).Gather(AsStateDict(root, file));
        }
    }

    private static void CheckSignature(Stream stream, string file)
    {
        var start = stream.Position;
        Span<byte> head = stackalloc byte[LegacyMagic.Length];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        head = head[..read];
        if (head.SequenceEqual(LegacyMagic))
        {
            throw new InvalidDataException(
                $"{file} is in the legacy torch.save format (before PyTorch 1.6), which is not supported; " +
                "load it with PyTorch and save it again with torch.save(state_dict, path) using PyTorch >= 1.6");
        }

        // Local file header, or the end record of an empty archive.
        if (!head.StartsWith("PK\x03\x04"u8) && !head.StartsWith("PK\x05\x06"u8))
        {
            throw new InvalidDataException($"{file} is not a torch.save zip archive: it does not start with a zip header");
        }
    }

    private static Dictionary<string, ZipArchiveEntry> IndexEntries(ZipArchive archive, string file)
    {
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            var name = entry.FullName;
            // Nothing is ever extracted to disk, but such names only occur in crafted archives (they
            // would escape the target folder of tools that do extract), so the file is refused.
            if (name.StartsWith('/') || name.StartsWith('\\') || (name.Length > 1 && name[1] == ':')
                || name.Split('/', '\\').Contains(".."))
            {
                throw new InvalidDataException($"{file} has an entry with an absolute or '..' path, '{name}'; refusing a crafted archive");
            }

            // Two entries with one name could be read differently by different tools.
            if (!entries.TryAdd(name, entry))
            {
                throw new InvalidDataException($"{file} has two entries named '{name}'; refusing an ambiguous archive");
            }
        }

        return entries;
    }

    private static string FindPrefix(Dictionary<string, ZipArchiveEntry> entries, string file)
    {
        var prefixes = entries.Keys
            .Where(name => name.EndsWith("/data.pkl", StringComparison.Ordinal) && name.IndexOf('/') == name.Length - "/data.pkl".Length)
            .Select(name => name[..^"/data.pkl".Length])
            .ToList();
        if (prefixes.Count != 1)
        {
            throw new InvalidDataException(prefixes.Count == 0
                ? $"{file} has no '<name>/data.pkl' entry, so it is not a torch.save file"
                : $"{file} has several '<name>/data.pkl' entries ({string.Join(", ", prefixes)}), so it is not a torch.save file");
        }

        var prefix = prefixes[0];
        if (entries.ContainsKey($"{prefix}/constants.pkl") || entries.Keys.Any(name => name.StartsWith($"{prefix}/code/", StringComparison.Ordinal)))
        {
            throw new InvalidDataException(
                $"{file} is a TorchScript archive (torch.jit.save), not a state dict; save model.state_dict() with torch.save instead");
        }

        return prefix;
    }

    private static List<KeyValuePair<string, PickledTensor>> AsStateDict(object? root, string file)
    {
        if (root is not PyDict dict)
        {
            throw new InvalidDataException($"{file} holds {RestrictedUnpickler.Describe(root)}, not a state dict (a dict of name → tensor)");
        }

        var tensors = new List<KeyValuePair<string, PickledTensor>>(dict.Items.Count);
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name)
            {
                throw new InvalidDataException($"{file} holds a dict with a non-string key ({RestrictedUnpickler.Describe(key)}), not a state dict");
            }

            if (value is not PickledTensor tensor)
            {
                throw new InvalidDataException(
                    $"'{name}' in {file} is {RestrictedUnpickler.Describe(value)}, not a tensor; only plain state dicts " +
                    "(name → tensor, as model.state_dict() returns) can be loaded, so save a checkpoint's state dict on its own");
            }

            tensors.Add(new(name, tensor));
        }

        return tensors;
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, string file)
    {
        if (entry.Length > Array.MaxLength)
        {
            throw new InvalidDataException($"'{entry.FullName}' of {file} is {entry.Length} bytes; records over {Array.MaxLength} bytes are not supported");
        }

        var bytes = new byte[entry.Length];
        try
        {
            using var data = entry.Open();
            data.ReadExactly(bytes);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"cannot read '{entry.FullName}' of {file} (corrupt or truncated): {e.Message}", e);
        }

        // .NET 10's ZipArchive does not check CRCs; a flipped bit would otherwise load as a wrong weight.
        if (Crc32.Compute(bytes) != entry.Crc32)
        {
            throw new InvalidDataException($"'{entry.FullName}' of {file} fails its CRC-32 check: the file is corrupt");
        }

        return bytes;
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original failure matters more than a leftover temporary file.
        }
    }

    /// <summary>Reads each storage record once and turns the pickled views into contiguous records.</summary>
    private sealed class StorageReader(Dictionary<string, ZipArchiveEntry> entries, string prefix, string file)
    {
        // Storages still needed by a later tensor; dropped after their last use to bound memory.
        private readonly Dictionary<string, byte[]> _loaded = [];

        public List<KeyValuePair<string, TensorRecord>> Gather(List<KeyValuePair<string, PickledTensor>> tensors)
        {
            var users = new Dictionary<string, int>(StringComparer.Ordinal);
            var declared = new Dictionary<string, StorageRef>(StringComparer.Ordinal);
            foreach (var (name, tensor) in tensors)
            {
                var storage = tensor.Storage;
                if (declared.TryGetValue(storage.Key, out var first) && first != storage)
                {
                    throw new InvalidDataException(
                        $"tensor '{name}' in {file} declares storage '{storage.Key}' as {storage.NumElements} {storage.DType} elements, " +
                        $"but an earlier tensor declared it as {first.NumElements} {first.DType} elements");
                }

                declared[storage.Key] = storage;
                users[storage.Key] = users.GetValueOrDefault(storage.Key) + 1;
            }

            var remainingUses = new Dictionary<string, int>(users, StringComparer.Ordinal);
            var records = new List<KeyValuePair<string, TensorRecord>>(tensors.Count);
            foreach (var (name, tensor) in tensors)
            {
                var key = tensor.Storage.Key;
                var record = ToRecord(name, tensor, Storage(tensor.Storage, name), soleUser: users[key] == 1);
                if (--remainingUses[key] == 0)
                {
                    _loaded.Remove(key);
                }

                records.Add(new(name, record));
            }

            return records;
        }

        private TensorRecord ToRecord(string name, PickledTensor tensor, byte[] storage, bool soleUser)
        {
            var (dtype, key, _, storageElements) = tensor.Storage;
            var shape = tensor.Shape;
            var stride = tensor.Stride;
            var describe = $"tensor '{name}' in {file} (size {TensorRecord.Format(shape)}, stride {TensorRecord.Format(stride)}, offset {tensor.StorageOffset})";
            var byteLength = TensorRecord.ByteLength(dtype, shape)
                ?? throw new InvalidDataException($"{describe} has a negative size or is larger than a byte[] can hold");
            if (byteLength == 0)
            {
                return new TensorRecord(dtype, shape, []);
            }

            if (tensor.StorageOffset < 0 || stride.Any(step => step < 0))
            {
                throw new InvalidDataException($"{describe} has a negative offset or stride");
            }

            // The highest element the view touches must lie inside the storage.
            var last = tensor.StorageOffset;
            try
            {
                for (var d = 0; d < shape.Length; d++)
                {
                    last = checked(last + ((shape[d] - 1) * stride[d]));
                }
            }
            catch (OverflowException)
            {
                last = long.MaxValue;
            }

            if (last >= storageElements)
            {
                throw new InvalidDataException(
                    $"{describe} reaches element {last} of storage '{prefix}/data/{key}', which holds only {storageElements} {dtype} elements");
            }

            var elementSize = dtype.ElementSize();
            var start = (int)(tensor.StorageOffset * elementSize);
            if (IsContiguous(shape, stride))
            {
                // The common case: a tensor that owns its whole storage is handed over without a copy.
                return soleUser && start == 0 && byteLength == storage.Length
                    ? new TensorRecord(dtype, shape, storage)
                    : new TensorRecord(dtype, shape, storage.AsSpan(start, (int)byteLength).ToArray());
            }

            return new TensorRecord(dtype, shape, GatherStrided(storage, tensor, elementSize, (int)byteLength));
        }

        /// <summary>Copies a strided view row by row (the last dimension), odometer-style over the rest.</summary>
        private static byte[] GatherStrided(byte[] storage, PickledTensor tensor, int elementSize, int byteLength)
        {
            var shape = tensor.Shape;
            var stride = tensor.Stride;
            var output = new byte[byteLength];
            var rowLength = shape[^1];
            var rowStep = stride[^1];
            var index = new long[shape.Length - 1];
            var outputOffset = 0;
            while (outputOffset < byteLength)
            {
                var element = tensor.StorageOffset;
                for (var d = 0; d < index.Length; d++)
                {
                    element += index[d] * stride[d];
                }

                if (rowStep == 1)
                {
                    var rowBytes = (int)rowLength * elementSize;
                    storage.AsSpan((int)(element * elementSize), rowBytes).CopyTo(output.AsSpan(outputOffset));
                    outputOffset += rowBytes;
                }
                else
                {
                    for (var i = 0L; i < rowLength; i++, element += rowStep, outputOffset += elementSize)
                    {
                        storage.AsSpan((int)(element * elementSize), elementSize).CopyTo(output.AsSpan(outputOffset));
                    }
                }

                for (var d = index.Length - 1; d >= 0 && ++index[d] == shape[d]; d--)
                {
                    index[d] = 0;
                }
            }

            return output;
        }

        /// <summary>Row-major contiguity as torch defines it: strides of size-1 dimensions do not matter.</summary>
        private static bool IsContiguous(long[] shape, long[] stride)
        {
            long expected = 1;
            for (var i = shape.Length - 1; i >= 0; i--)
            {
                if (shape[i] != 1 && stride[i] != expected)
                {
                    return false;
                }

                expected *= shape[i];
            }

            return true;
        }

        private byte[] Storage(StorageRef storage, string tensorName)
        {
            if (_loaded.TryGetValue(storage.Key, out var cached))
            {
                return cached;
            }

            var recordName = $"{prefix}/data/{storage.Key}";
            if (!entries.TryGetValue(recordName, out var entry))
            {
                throw new InvalidDataException($"{file} has no storage record '{recordName}', which tensor '{tensorName}' needs");
            }

            var bytes = ReadEntry(entry, file);
            if (storage.NumElements > bytes.LongLength / storage.DType.ElementSize())
            {
                throw new InvalidDataException(
                    $"storage record '{recordName}' of {file} holds {bytes.LongLength} bytes, but tensor '{tensorName}' " +
                    $"declares it as {storage.NumElements} {storage.DType} elements of {storage.DType.ElementSize()} bytes");
            }

            _loaded[storage.Key] = bytes;
            return bytes;
        }
    }
}
