using MlNetRobust.Data;

namespace MlNetRobust.Transforms.Data;

/// <summary>
/// What an image set holds, file by file: images per class, the modes the files were stored in ("RGB JPEG",
/// "gray PNG", …), the distinct sizes, and every file the loader left out with its reason. Computed by reading
/// every image once (from the decoded-image cache when there is one) — what a user checks before training.
/// </summary>
public sealed record ImageSetSurvey(
    string Folder,
    long Images,
    IReadOnlyList<ImageSetSurvey.ClassCount> Classes,
    IReadOnlyList<ImageSetSurvey.Tally> Modes,
    IReadOnlyList<ImageSetSurvey.Tally> Sizes,
    IReadOnlyList<SkippedItem> Skipped)
{
    public sealed record ClassCount(string Name, long Images);

    /// <summary>A value (a mode, a size "WxH") and how many images have it.</summary>
    public sealed record Tally(string Value, long Images);

    public const int BatchSize = 1024;

    /// <summary>
    /// Surveys <paramref name="view"/> (best loaded with skipInvalid: true, so bad files are listed in
    /// <see cref="ImageFileDataView.Skipped"/> instead of failing); <paramref name="imagesRead"/> counts progress.
    /// </summary>
    public static ImageSetSurvey Of(ImageFileDataView view, IProgress<long>? imagesRead = null)
    {
        var modes = new Dictionary<string, long>();
        var sizes = new Dictionary<(int Width, int Height), long>();
        var read = 0L;
        foreach (var batch in view.GetBatches(BatchSize))
        {
            using (batch)
            {
                foreach (var image in batch.GetImages(DefaultColumnNames.Image))
                {
                    var mode = image.OriginalMode ?? $"{image.Channels} channels";
                    modes[mode] = modes.GetValueOrDefault(mode) + 1;
                    sizes[(image.Width, image.Height)] = sizes.GetValueOrDefault((image.Width, image.Height)) + 1;
                }
                read += batch.Count;
                imagesRead?.Report(read);
            }
        }
        var labels = view.Labels;
        var classes = view.ClassNames.Select((name, k) => new ClassCount(name, labels.Count(l => l == k))).ToList();
        return new ImageSetSurvey(view.Source, view.RowCount, classes,
            modes.OrderByDescending(m => m.Value).ThenBy(m => m.Key, StringComparer.Ordinal).Select(m => new Tally(m.Key, m.Value)).ToList(),
            sizes.OrderByDescending(s => s.Value).ThenBy(s => s.Key.Width).ThenBy(s => s.Key.Height)
                .Select(s => new Tally($"{s.Key.Width}x{s.Key.Height}", s.Value)).ToList(),
            view.Skipped);
    }
}
