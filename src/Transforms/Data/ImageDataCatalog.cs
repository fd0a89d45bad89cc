using MlNetRobust.Catalogs;
using MlNetRobust.Transforms.Data;

namespace MlNetRobust;

/// <summary>
/// The image loaders on <c>ctx.Data</c> (as ML.NET's catalog extension classes): each returns a lazy view with
/// the columns ImagePath (Text), Label (Key, with the class names) and Image (<see cref="Data.RawImage"/>[]).
/// Defaults are in each loader's nested Defaults class.
/// </summary>
public static class ImageDataCatalog
{
    /// <summary>
    /// A folder with one sub-folder per class (rules in <see cref="ImageFolderLoader"/>). Images are decoded
    /// only when their rows are read. <paramref name="skipInvalid"/>: decode everything once now and leave out
    /// (and list in <see cref="ImageFileDataView.Skipped"/>) the files that fail. <paramref name="cache"/>: keep the
    /// decoded pixels in a cache file after the first full read (<see cref="DecodedImageCache"/>), in
    /// <paramref name="cacheFolder"/> or <see cref="DataLocations.CacheFolder"/>. <paramref name="imageSize"/>: every
    /// image must have this width and height (the schema then says so).
    /// </summary>
    public static ImageFileDataView LoadFromImageFolder(this DataCatalog catalog, string path,
        bool skipInvalid = ImageFolderLoader.Defaults.SkipInvalid, bool cache = ImageFolderLoader.Defaults.Cache,
        string? cacheFolder = null, (int Width, int Height)? imageSize = null) =>
        ImageFolderLoader.Load(path, skipInvalid, cache, cacheFolder, imageSize);

    /// <summary>
    /// A CSV file of <c>path,label</c> rows, paths relative to the CSV's folder (rules in <see cref="CsvImageLoader"/>);
    /// other options as <see cref="LoadFromImageFolder"/>. <paramref name="hasHeader"/> null recognises a header
    /// by its first field's name; <paramref name="classNames"/> fixes the label order.
    /// </summary>
    public static ImageFileDataView LoadFromCsv(this DataCatalog catalog, string path,
        bool skipInvalid = CsvImageLoader.Defaults.SkipInvalid, bool cache = CsvImageLoader.Defaults.Cache,
        string? cacheFolder = null, (int Width, int Height)? imageSize = null, char separator = CsvImageLoader.Defaults.Separator,
        bool? hasHeader = null, IReadOnlyList<string>? classNames = null) =>
        CsvImageLoader.Load(path, skipInvalid, cache, cacheFolder, imageSize, separator, hasHeader, classNames);

    /// <summary>
    /// CIFAR-10's official binary files: <paramref name="path"/> is the folder holding them (or holding
    /// cifar-10-batches-bin/), or one .bin file. See <see cref="CifarBinaryDataView"/>.
    /// </summary>
    public static CifarBinaryDataView LoadFromCifarBinary(this DataCatalog catalog, string path, CifarSplit split = CifarSplit.Train,
        bool skipInvalid = CifarBinaryDataView.Defaults.SkipInvalid) =>
        CifarBinaryDataView.Load(path, split, skipInvalid);

    /// <summary>The given CIFAR binary files, in order, with explicit class names (default: batches.meta.txt beside them, else CIFAR-10's).</summary>
    public static CifarBinaryDataView LoadFromCifarBinary(this DataCatalog catalog, IReadOnlyList<string> files,
        IReadOnlyList<string>? classNames = null, bool skipInvalid = CifarBinaryDataView.Defaults.SkipInvalid) =>
        CifarBinaryDataView.Load(files, classNames, skipInvalid);

    /// <summary>
    /// Decodes every image of <paramref name="view"/> now and writes its cache file (in <paramref name="folder"/>,
    /// default <see cref="DataLocations.CacheFolder"/>); the view then serves rows from memory, and later loads of
    /// the same unchanged files read the cache. Fails when the images differ in size.
    /// </summary>
    public static ImageFileDataView Cache(this DataCatalog catalog, ImageFileDataView view, string? folder = null)
    {
        view.BuildCache(folder);
        return view;
    }

    /// <summary>
    /// Makes sure CIFAR-10's official binary release is in <paramref name="folder"/> (default: the repository's
    /// data/ folder), downloading and checking it when needed, and returns the folder of .bin files to pass to
    /// <see cref="LoadFromCifarBinary(DataCatalog, string, CifarSplit, bool)"/>. See <see cref="Cifar10.Prepare"/>.
    /// </summary>
    public static string PrepareCifar10(this DataCatalog catalog, string? folder = null, string url = Cifar10.Defaults.Url,
        string md5 = Cifar10.Defaults.Md5, TimeSpan? timeout = null) =>
        Cifar10.Prepare(folder, url, md5, timeout);
}
