using MlNetRobust.Data;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Data;

namespace MlNetRobust.Pipelines.Inference;

/// <summary>One image's prediction: the winning class and every class's score (they sum to 1), from <see cref="Head"/>.</summary>
public sealed record ImagePrediction(string File, string Label, float Score, IReadOnlyDictionary<string, float> Scores, string Head);

/// <summary>
/// Classifies image files with a saved model: files and folders (searched recursively for .jpg, .jpeg, .png,
/// .bmp) are decoded strictly — a missing file or one that is not an image fails naming it — optionally
/// resized, run through the model's own preprocessing, and scored by its classifier (or its KNN head for
/// metric-learning models).
/// </summary>
public static class ImagePredictor
{
    public const int DecodeBatchSize = 256;

    /// <summary>
    /// The image files named by <paramref name="inputs"/> in order: files as given, folders expanded to their image
    /// files (sorted, hidden ones left out). A missing path or a folder without images is an error naming it.
    /// </summary>
    public static IReadOnlyList<string> ListFiles(IEnumerable<string> inputs)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            var full = Path.GetFullPath(input);
            if (File.Exists(full))
            {
                files.Add(full);
            }
            else if (Directory.Exists(full))
            {
                var found = Directory.EnumerateFiles(full, "*", new EnumerationOptions { RecurseSubdirectories = true })
                    .Where(f => !Path.GetRelativePath(full, f).Split(Path.DirectorySeparatorChar).Any(p => p.StartsWith('.')))
                    .Where(f => ImageFolderLoader.Defaults.Extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    throw new InvalidDataException($"folder '{input}' holds no image files ({string.Join(", ", ImageFolderLoader.Defaults.Extensions)})");
                }
                files.AddRange(found);
            }
            else
            {
                throw new FileNotFoundException($"'{input}' does not exist", input);
            }
        }
        return files;
    }

    /// <summary>
    /// Predicts every file; <paramref name="size"/> resizes all images first (images of that size pass untouched),
    /// null keeps their sizes (images of one size are scored together).
    /// </summary>
    public static IReadOnlyList<ImagePrediction> Predict(RobustContext ctx, SavedModel model, IReadOnlyList<string> files,
        (int Width, int Height)? size, int batchSize = 256, IProgress<int>? filesDone = null)
    {
        var results = new ImagePrediction?[files.Count];
        var done = 0;
        for (var start = 0; start < files.Count; start += DecodeBatchSize)
        {
            var chunk = files.Skip(start).Take(DecodeBatchSize).ToList();
            var images = Decode(chunk);
            // ExtractPixels needs one size per batch: score each size group on its own when not resizing.
            foreach (var group in Enumerable.Range(0, chunk.Count).GroupBy(i => size is null ? (images[i].Width, images[i].Height) : (0, 0)))
            {
                var rows = group.ToArray();
                using var raw = new InMemoryDataView(
                    new DataViewSchema([(DefaultColumnNames.ImagePath, TextType.Instance), (DefaultColumnNames.Image, new ImageType())]),
                    new Dictionary<string, object>
                    {
                        [DefaultColumnNames.ImagePath] = rows.Select(i => chunk[i]).ToArray(),
                        [DefaultColumnNames.Image] = rows.Select(i => images[i]).ToArray(),
                    });
                IDataView view = raw;
                if (size is { } s)
                {
                    view = ctx.Transforms.ResizeImages(s.Width, s.Height).Fit(view).Transform(view);
                }
                var scored = HeadPredictions.Collect(model, model.Prepare(view), batchSize);
                var head = scored.Heads[0];
                for (var r = 0; r < rows.Length; r++)
                {
                    var scores = scored.Scores(head, r).ToArray();
                    var best = scored.Predicted(head)[r];
                    results[start + rows[r]] = new ImagePrediction(chunk[rows[r]], model.Classes[best], scores[best],
                        model.Classes.Select((c, k) => (c, k)).ToDictionary(p => p.c, p => scores[p.k]), head);
                }
            }
            done += chunk.Count;
            filesDone?.Report(done);
        }
        return results.Select(r => r!).ToList();
    }

    /// <summary>Reads the files and decodes them in one native call (in parallel); the first that fails ends it with its name and reason.</summary>
    private static RawImage[] Decode(IReadOnlyList<string> files)
    {
        var contents = new byte[files.Count][];
        for (var i = 0; i < files.Count; i++)
        {
            try
            {
                contents[i] = File.ReadAllBytes(files[i]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidDataException($"'{files[i]}' cannot be read: {e.Message}", e);
            }
        }
        var offsets = new long[files.Count + 1];
        for (var i = 0; i < files.Count; i++)
        {
            offsets[i + 1] = offsets[i] + contents[i].Length;
        }
        var buffer = contents.SelectMany(c => c).ToArray();
        using var scope = torch.NewDisposeScope();
        var decoded = Imaging.DecodeBatch(buffer, offsets);
        var images = new RawImage[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            var (tensor, info, error) = decoded[i];
            if (tensor is null)
            {
                throw new InvalidDataException($"'{files[i]}' could not be decoded: {error}");
            }
            var shape = tensor.shape;
            images[i] = new RawImage((int)shape[1], (int)shape[0], (int)shape[2], tensor.ToBytes(), files[i]) { OriginalMode = info.ToString() };
        }
        return images;
    }
}
