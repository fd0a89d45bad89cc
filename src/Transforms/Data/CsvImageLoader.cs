using System.Globalization;
using System.Text;

namespace MlNetRobust.Transforms.Data;

/// <summary>
/// Lists images from a CSV file for <c>ctx.Data.LoadFromCsv</c>: one <c>path,label</c> row per image.
/// <code>
///   path,label                  optional header (recognised by its first field: path, file, filename, image…)
///   train/cat/0001.jpg,cat      paths relative to the CSV's folder (absolute paths are kept as they are)
///   "dogs, big/0002.png",dog    fields may be quoted (RFC 4180), with "" for a quote inside
/// </code>
/// Classes: the given <c>classNames</c> in their order, else the distinct labels sorted — numerically when
/// every label is an integer ("2" before "10"), ordinally otherwise. A row with a wrong field count or a
/// file that does not exist fails the load naming its line, or with skipInvalid is left out and listed in
/// <see cref="ImageFileDataView.Skipped"/>. Files are decoded by content, whatever their extension.
/// </summary>
public static class CsvImageLoader
{
    public static class Defaults
    {
        public const bool SkipInvalid = false;
        public const bool Cache = true;
        public const char Separator = ',';
    }

    internal const string Kind = "csv";

    private static readonly HashSet<string> s_headerNames =
        new(["path", "file", "filename", "file_name", "image", "imagepath", "image_path", "img", "filepath"], StringComparer.OrdinalIgnoreCase);

    public static ImageFileDataView Load(string path, bool skipInvalid = Defaults.SkipInvalid, bool cache = Defaults.Cache,
        string? cacheFolder = null, (int Width, int Height)? imageSize = null, char separator = Defaults.Separator,
        bool? hasHeader = null, IReadOnlyList<string>? classNames = null)
    {
        var csv = Path.GetFullPath(path);
        if (!File.Exists(csv))
        {
            throw new FileNotFoundException(Directory.Exists(csv)
                ? $"'{path}' is a folder; LoadFromCsv expects a CSV file of path,label rows (use LoadFromImageFolder for a folder per class)"
                : $"CSV file '{path}' does not exist (full path {csv})", csv);
        }
        var folder = Path.GetDirectoryName(csv)!;
        var lines = File.ReadAllLines(csv, Encoding.UTF8);
        var skipped = new List<SkippedItem>();
        var rows = new List<(string Path, string Label, FileInfo File, int Line)>();
        var first = true;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var where = $"line {i + 1} of {Path.GetFileName(csv)}";
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            string[] fields;
            try
            {
                fields = SplitLine(line, separator);
            }
            catch (FormatException e)
            {
                Reject($"{where}: {e.Message}", line);
                continue;
            }
            if (first)
            {
                first = false;
                if (hasHeader ?? (fields.Length >= 1 && s_headerNames.Contains(fields[0].Trim())))
                {
                    continue;
                }
            }
            if (fields.Length != 2 || fields[0].Trim().Length == 0 || fields[1].Trim().Length == 0)
            {
                Reject($"{where}: expected 2 non-empty fields (path{separator}label), found {fields.Length}: \"{line}\"", line);
                continue;
            }
            var file = new FileInfo(Path.GetFullPath(Path.Combine(folder, fields[0].Trim())));
            if (!file.Exists)
            {
                Reject($"{where}: image file '{fields[0].Trim()}' does not exist (looked for {file.FullName})", file.FullName);
                continue;
            }
            rows.Add((file.FullName, fields[1].Trim(), file, i + 1));
        }
        if (rows.Count == 0)
        {
            throw new InvalidDataException($"CSV file '{path}' lists no images{(skipped.Count > 0 ? $" ({skipped.Count} rows skipped: {skipped[0].Reason})" : "")}");
        }
        var classes = classNames?.ToList() ?? SortLabels(rows.Select(r => r.Label).Distinct());
        var index = classes.Select((name, k) => (name, k)).ToDictionary(p => p.name, p => p.k, StringComparer.Ordinal);
        var entries = new List<ImageFileEntry>();
        foreach (var row in rows)
        {
            if (!index.TryGetValue(row.Label, out var label))
            {
                Reject($"line {row.Line} of {Path.GetFileName(csv)}: label '{row.Label}' is not one of the classes ({string.Join(", ", classes)})", row.Path);
                continue;
            }
            entries.Add(new ImageFileEntry(row.Path, label, row.File.Length, row.File.LastWriteTimeUtc.Ticks, $"line {row.Line} of {Path.GetFileName(csv)}"));
        }
        return new ImageFileDataView(csv, Kind, entries.ToArray(), classes, skipped, new ImageLoadSettings(skipInvalid, cache, cacheFolder, imageSize));

        void Reject(string reason, string item)
        {
            if (!skipInvalid)
            {
                throw new InvalidDataException($"'{path}', {reason}. Fix the row, or load with skipInvalid: true to leave it out (it is then listed in Skipped).");
            }
            skipped.Add(new SkippedItem(item, reason));
        }
    }

    /// <summary>Integers by value when every label is one, otherwise ordinal order.</summary>
    private static List<string> SortLabels(IEnumerable<string> labels)
    {
        var list = labels.ToList();
        return list.All(l => long.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            ? list.OrderBy(l => long.Parse(l, CultureInfo.InvariantCulture)).ThenBy(l => l, StringComparer.Ordinal).ToList()
            : list.OrderBy(l => l, StringComparer.Ordinal).ToList();
    }

    /// <summary>Splits one CSV line (RFC 4180 quoting, no line breaks inside fields).</summary>
    internal static string[] SplitLine(string line, char separator)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"' && field.ToString().Trim().Length == 0 && !wasQuoted)
            {
                (quoted, wasQuoted) = (true, true);
                field.Clear();
            }
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
                wasQuoted = false;
            }
            else
            {
                field.Append(c);
            }
        }
        if (quoted)
        {
            throw new FormatException("unterminated quoted field");
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }
}
