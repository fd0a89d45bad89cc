using MlNetRobust.Data;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Data;

/// <summary>Which CIFAR-10 files to read: data_batch_1..5.bin (50,000 images) or test_batch.bin (10,000).</summary>
public enum CifarSplit
{
    Train,
    Test,
}

/// <summary>
/// CIFAR-10 in its official binary format (<c>cifar-10-binary.tar.gz</c>), for <c>ctx.Data.LoadFromCifarBinary</c>.
/// Each file is a run of 3,073-byte records: 1 label byte, then the 1,024 red, 1,024 green and 1,024 blue
/// bytes of a 32x32 image, row-major. Class names come from <c>batches.meta.txt</c> beside the files (one per
/// line), or are <see cref="Cifar10.ClassNames"/> when it is missing.
///
/// The files are read whole on construction (150 MB for the training set) and checked there: a length that
/// is not a multiple of 3,073 or a label outside the classes fails, naming file and record — or, with
/// skipInvalid, the incomplete tail or bad record is left out and listed in <see cref="Skipped"/>. Rows are
/// served without decoding: <see cref="GetRows"/> gathers records and turns planes into H, W, C with one
/// tensor permute per batch. Columns: ImagePath ("file#record"), Label, Image (32x32, 3 channels).
/// </summary>
public sealed class CifarBinaryDataView : IDataView
{
    public const int Side = 32;
    public const int ImageBytes = 3 * Side * Side;
    public const int RecordBytes = 1 + ImageBytes;

    public static class Defaults
    {
        public const bool SkipInvalid = false;
        public const string MetaFile = "batches.meta.txt";

        /// <summary>The folder the official archive extracts to; looked for inside the given folder too.</summary>
        public const string ArchiveFolder = "cifar-10-batches-bin";
    }

    private readonly byte[][] _data;
    private readonly string[] _files;
    private readonly (int File, int Record)[] _rows;
    private readonly int[] _labels;

    private CifarBinaryDataView(byte[][] data, string[] files, (int, int)[] rows, int[] labels, IReadOnlyList<string> classes, List<SkippedItem> skipped)
    {
        (_data, _files, _rows, _labels, ClassNames, Skipped) = (data, files, rows, labels, classes, skipped);
        Schema = new DataViewSchema([
            (DefaultColumnNames.ImagePath, TextType.Instance),
            (DefaultColumnNames.Label, new KeyType(classes)),
            (DefaultColumnNames.Image, new ImageType(Side, Side, 3)),
        ]);
    }

    public DataViewSchema Schema { get; }

    public long RowCount => _rows.Length;

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The files read, in order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Records left out with skipInvalid ("file#record": reason).</summary>
    public IReadOnlyList<SkippedItem> Skipped { get; }

    /// <summary>Every row's label, in row order.</summary>
    public IReadOnlyList<int> Labels => _labels;

    /// <summary>The split's files in <paramref name="path"/> (a folder, or the folder holding cifar-10-batches-bin), or one .bin file.</summary>
    public static CifarBinaryDataView Load(string path, CifarSplit split = CifarSplit.Train, bool skipInvalid = Defaults.SkipInvalid)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return Load([full], null, skipInvalid);
        }
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"CIFAR-10 folder '{path}' does not exist (full path {full}); ctx.Data.PrepareCifar10() downloads it");
        }
        var folder = Directory.Exists(Path.Combine(full, Defaults.ArchiveFolder)) ? Path.Combine(full, Defaults.ArchiveFolder) : full;
        var names = FileNames(split);
        var missing = names.Where(n => !File.Exists(Path.Combine(folder, n))).ToList();
        if (missing.Count > 0)
        {
            throw new FileNotFoundException(
                $"CIFAR-10 {split.ToString().ToLowerInvariant()} files missing in '{folder}': {string.Join(", ", missing)} " +
                "(expected the official binary release's data_batch_1..5.bin, test_batch.bin, batches.meta.txt; ctx.Data.PrepareCifar10() downloads them)");
        }
        return Load(names.Select(n => Path.Combine(folder, n)).ToList(), null, skipInvalid);
    }

    /// <summary>The given .bin files, in order; class names from <paramref name="classNames"/>, else batches.meta.txt beside the first file, else CIFAR-10's.</summary>
    public static CifarBinaryDataView Load(IReadOnlyList<string> files, IReadOnlyList<string>? classNames, bool skipInvalid = Defaults.SkipInvalid)
    {
        if (files.Count == 0)
        {
            throw new ArgumentException("no CIFAR binary files given", nameof(files));
        }
        var paths = files.Select(Path.GetFullPath).ToArray();
        var classes = classNames ?? ReadClassNames(Path.GetDirectoryName(paths[0])!);
        var data = new byte[paths.Length][];
        var rows = new List<(int, int)>();
        var labels = new List<int>();
        var skipped = new List<SkippedItem>();
        for (var f = 0; f < paths.Length; f++)
        {
            if (!File.Exists(paths[f]))
            {
                throw new FileNotFoundException($"CIFAR binary file '{paths[f]}' does not exist", paths[f]);
            }
            var bytes = data[f] = File.ReadAllBytes(paths[f]);
            var name = paths[f];
            if (bytes.Length == 0)
            {
                throw new InvalidDataException($"CIFAR binary file '{name}' is empty (0 bytes)");
            }
            var records = bytes.Length / RecordBytes;
            var extra = bytes.Length % RecordBytes;
            if (extra != 0)
            {
                var reason = $"length {bytes.Length} is not a multiple of {RecordBytes} (1 label byte + {ImageBytes} pixel bytes per record): " +
                    $"{records} whole records and {extra} bytes over — truncated, or not a CIFAR-10 binary file";
                if (!skipInvalid)
                {
                    throw new InvalidDataException($"CIFAR binary file '{name}': {reason}");
                }
                skipped.Add(new SkippedItem($"{name}#{records}", $"incomplete record ({extra} of {RecordBytes} bytes); {reason}"));
            }
            for (var r = 0; r < records; r++)
            {
                int label = bytes[r * RecordBytes];
                if (label >= classes.Count)
                {
                    var reason = $"label {label} is outside the {classes.Count} classes (0..{classes.Count - 1})";
                    if (!skipInvalid)
                    {
                        throw new InvalidDataException($"CIFAR binary file '{name}', record {r} (byte offset {(long)r * RecordBytes}): {reason}");
                    }
                    skipped.Add(new SkippedItem($"{name}#{r}", reason));
                    continue;
                }
                rows.Add((f, r));
                labels.Add(label);
            }
        }
        return new CifarBinaryDataView(data, paths, rows.ToArray(), labels.ToArray(), classes, skipped);
    }

    public DataBatch GetRows(IReadOnlyList<long> rowIds)
    {
        var ids = rowIds.ToArray();
        var n = ids.Length;
        var planar = GC.AllocateUninitializedArray<byte>(n * ImageBytes);
        var paths = new string[n];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            if (ids[i] < 0 || ids[i] >= _rows.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(rowIds), ids[i], $"row id outside 0..{_rows.Length - 1}");
            }
            var (file, record) = _rows[ids[i]];
            Buffer.BlockCopy(_data[file], record * RecordBytes + 1, planar, i * ImageBytes, ImageBytes);
            paths[i] = $"{_files[file]}#{record}";
            labels[i] = _labels[ids[i]];
        }
        byte[] interleaved;
        using (torch.NewDisposeScope())
        {
            // [N, C, H, W] planes → [N, H, W, C] pixels, as RawImage stores them.
            using var chw = torch.frombuffer(planar, ScalarType.Byte, [n, 3, Side, Side]);
            interleaved = chw.permute(0, 2, 3, 1).contiguous().ToBytes();
        }
        var images = new RawImage[n];
        for (var i = 0; i < n; i++)
        {
            images[i] = new RawImage(Side, Side, 3, interleaved.AsSpan(i * ImageBytes, ImageBytes).ToArray(), paths[i]) { OriginalMode = "RGB CIFAR" };
        }
        return new DataBatch(Schema, ids, new Dictionary<string, object>
        {
            [DefaultColumnNames.ImagePath] = paths,
            [DefaultColumnNames.Label] = labels,
            [DefaultColumnNames.Image] = images,
        });
    }

    private static string[] FileNames(CifarSplit split) => split == CifarSplit.Train
        ? Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray()
        : ["test_batch.bin"];

    private static IReadOnlyList<string> ReadClassNames(string folder)
    {
        var meta = Path.Combine(folder, Defaults.MetaFile);
        if (!File.Exists(meta))
        {
            return Cifar10.ClassNames;
        }
        var names = File.ReadAllLines(meta).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return names.Count > 0 ? names : throw new InvalidDataException($"'{meta}' lists no class names");
    }
}
