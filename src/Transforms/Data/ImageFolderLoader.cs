namespace MlNetRobust.Transforms.Data;

/// <summary>
/// Lists a folder-per-class image set (torchvision's ImageFolder layout) for <c>ctx.Data.LoadFromImageFolder</c>:
/// <code>
///   root/airplane/0001.jpg      class 0
///   root/automobile/0001.png    class 1 (classes are the sub-folders' names, sorted ordinally)
///   root/cat/indoor/0001.jpg    nested folders count for their top-level class folder
/// </code>
/// Rules: classes are the sub-folder names sorted ordinally (for CIFAR-10 that is its official label order);
/// images are the files with a .jpg, .jpeg, .png or .bmp extension (any case), found recursively below their
/// class folder and sorted ordinally by their path inside it. Anything else — README.txt, .DS_Store, hidden
/// folders, files lying directly in the root — is left out and listed in <see cref="ImageFileDataView.Skipped"/>.
/// A missing root, a root without class folders, or a class folder without images is an error.
/// </summary>
public static class ImageFolderLoader
{
    public static class Defaults
    {
        public const bool SkipInvalid = false;

        /// <summary>Cache decoded images (see <see cref="DecodedImageCache"/>) in <see cref="DataLocations.CacheFolder"/>.</summary>
        public const bool Cache = true;

        /// <summary>File extensions taken as images (compared case-insensitively).</summary>
        public static readonly IReadOnlyList<string> Extensions = [".jpg", ".jpeg", ".png", ".bmp"];
    }

    internal const string Kind = "folder";

    /// <summary>Lists <paramref name="path"/> and returns the lazy view (see <see cref="ImageFileDataView"/>).</summary>
    public static ImageFileDataView Load(string path, bool skipInvalid = Defaults.SkipInvalid, bool cache = Defaults.Cache,
        string? cacheFolder = null, (int Width, int Height)? imageSize = null)
    {
        var root = new DirectoryInfo(Path.GetFullPath(path));
        if (!root.Exists)
        {
            throw new DirectoryNotFoundException(File.Exists(root.FullName)
                ? $"'{path}' is a file; LoadFromImageFolder expects a folder with one sub-folder per class (use LoadFromCsv for a list of images)"
                : $"image folder '{path}' does not exist (full path {root.FullName})");
        }
        var skipped = new List<SkippedItem>();
        foreach (var file in root.EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            skipped.Add(new SkippedItem(file.FullName, "not inside a class folder (images must be in <root>/<class>/…)"));
        }
        var classFolders = new List<DirectoryInfo>();
        foreach (var dir in root.EnumerateDirectories().OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            if (dir.Name.StartsWith('.'))
            {
                skipped.Add(new SkippedItem(dir.FullName, "hidden folder, not taken as a class"));
                continue;
            }
            classFolders.Add(dir);
        }
        if (classFolders.Count == 0)
        {
            throw new InvalidDataException(
                $"'{path}' has no class folders: expected one sub-folder per class, e.g. {Path.Combine(root.FullName, "cat", "0001.jpg")}");
        }
        var entries = new List<ImageFileEntry>();
        var classes = classFolders.Select(d => d.Name).ToList();
        for (var label = 0; label < classFolders.Count; label++)
        {
            var dir = classFolders[label];
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            var files = dir.EnumerateFiles("*", options)
                .Select(f => (File: f, Relative: Path.GetRelativePath(dir.FullName, f.FullName)))
                .OrderBy(f => f.Relative, StringComparer.Ordinal)
                .ToList();
            var before = entries.Count;
            foreach (var (file, relative) in files)
            {
                if (relative.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
                {
                    skipped.Add(new SkippedItem(file.FullName, "hidden file or folder"));
                }
                else if (!IsImageName(file.Name))
                {
                    skipped.Add(new SkippedItem(file.FullName,
                        $"not an image file name (extension '{file.Extension}'; taken: {string.Join(", ", Defaults.Extensions)})"));
                }
                else
                {
                    entries.Add(new ImageFileEntry(file.FullName, label, file.Length, file.LastWriteTimeUtc.Ticks));
                }
            }
            if (entries.Count == before)
            {
                var others = files.Count == 0 ? "it is empty" : $"it holds only {files.Count} other file(s), e.g. '{files[0].Relative}'";
                throw new InvalidDataException(
                    $"class folder '{dir.Name}' ({dir.FullName}) contains no images ({string.Join(", ", Defaults.Extensions)}): {others}. " +
                    "Add images or remove the folder (every sub-folder of the root is a class).");
            }
        }
        return new ImageFileDataView(root.FullName, Kind, entries.ToArray(), classes, skipped,
            new ImageLoadSettings(skipInvalid, cache, cacheFolder, imageSize));
    }

    internal static bool IsImageName(string name) =>
        Defaults.Extensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
