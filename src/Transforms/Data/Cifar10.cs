namespace MlNetRobust.Transforms.Data;

/// <summary>
/// CIFAR-10 (Krizhevsky, 2009, https://www.cs.toronto.edu/~kriz/cifar.html): 60,000 32x32 colour images in 10
/// classes. Facts (class names, normalisation), where our copy lives (<see cref="Locate()"/>), and getting the
/// official binary release (<see cref="Prepare"/>, <c>ctx.Data.PrepareCifar10()</c>).
/// </summary>
public static class Cifar10
{
    /// <summary>The official label order (0..9), which is also alphabetical.</summary>
    public static readonly IReadOnlyList<string> ClassNames =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Per-channel mean of the training images in [0, 1] (the values the field uses).</summary>
    public static readonly (double R, double G, double B) Mean = (0.4914, 0.4822, 0.4465);

    /// <summary>Per-channel standard deviation of the training images in [0, 1].</summary>
    public static readonly (double R, double G, double B) Std = (0.2470, 0.2435, 0.2616);

    public static class Defaults
    {
        public const string Url = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
        public const string Md5 = "c32a1d4ab5d03f1284b67883e8d87530";
        public const string ArchiveName = "cifar-10-binary.tar.gz";

        /// <summary>The JPEG copy beside the repository: <c>../shared/datasets/cifar10-jpg</c>.</summary>
        public const string SharedCopy = "shared/datasets/cifar10-jpg";

        /// <summary>Overrides <see cref="Locate()"/> with a folder holding train/ and test/.</summary>
        public const string LocateVariable = "MLNR_CIFAR10_JPG";

        public static readonly TimeSpan DownloadTimeout = TimeSpan.FromMinutes(30);
    }

    /// <summary>
    /// Our folder-per-class JPEG copy (<c>train/&lt;class&gt;/*.jpg</c>, <c>test/&lt;class&gt;/*.jpg</c>): the folder
    /// named by <c>MLNR_CIFAR10_JPG</c>, else the first <c>shared/datasets/cifar10-jpg</c> found walking up from
    /// the current folder and from the application's folder (so <c>../shared/datasets/cifar10-jpg</c> beside the
    /// repository); null when there is none.
    /// </summary>
    public static string? Locate() =>
        Environment.GetEnvironmentVariable(Defaults.LocateVariable) is { Length: > 0 } overridden && Directory.Exists(overridden)
            ? Path.GetFullPath(overridden)
            : Locate([Directory.GetCurrentDirectory(), AppContext.BaseDirectory]);

    /// <summary>The first <c>shared/datasets/cifar10-jpg</c> found walking up from each start folder in turn.</summary>
    internal static string? Locate(IEnumerable<string> starts) =>
        starts.SelectMany(DataLocations.WalkUp)
            .Select(d => Path.Combine(d, Defaults.SharedCopy))
            .FirstOrDefault(Directory.Exists);

    /// <summary>
    /// Makes sure the official binary release is in <paramref name="folder"/> (default: <see cref="DataLocations.DataFolder"/>)
    /// and returns the folder holding its .bin files (<c>cifar-10-batches-bin</c>). Uses what is there — the
    /// extracted folder, or the archive — and otherwise downloads the archive from <paramref name="url"/>; the
    /// archive's MD5 must be <paramref name="md5"/>. Offline, fails with what to do instead.
    /// </summary>
    public static string Prepare(string? folder = null, string url = Defaults.Url, string md5 = Defaults.Md5, TimeSpan? timeout = null)
    {
        folder = Path.GetFullPath(folder ?? DataLocations.DataFolder);
        var extracted = Path.Combine(folder, CifarBinaryDataView.Defaults.ArchiveFolder);
        if (IsComplete(extracted))
        {
            return extracted;
        }
        var archive = Path.Combine(folder, Defaults.ArchiveName);
        var downloaded = false;
        if (!File.Exists(archive))
        {
            try
            {
                ArchiveDownloader.Download(url, archive, timeout ?? Defaults.DownloadTimeout);
                downloaded = true;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or UnauthorizedAccessException)
            {
                throw new IOException(
                    $"could not download CIFAR-10 from {url} (no network?): {e.Message}. " +
                    $"Put {Defaults.ArchiveName} (or its extracted folder {CifarBinaryDataView.Defaults.ArchiveFolder}/) in {folder}, " +
                    $"or pass --data with a folder of images (one sub-folder per class, e.g. ../shared/datasets/cifar10-jpg/train).", e);
            }
        }
        var actual = ArchiveDownloader.Md5(archive);
        if (!string.Equals(actual, md5, StringComparison.OrdinalIgnoreCase))
        {
            if (downloaded)
            {
                File.Delete(archive);
            }
            throw new InvalidDataException(
                $"checksum mismatch: {archive} has MD5 {actual}, expected {md5} — a damaged or different file. " +
                (downloaded ? "The download was deleted; try again." : "Delete it and run again to download it afresh."));
        }
        ArchiveDownloader.ExtractTarGz(archive, folder);
        if (!IsComplete(extracted))
        {
            throw new InvalidDataException($"{archive} did not contain {CifarBinaryDataView.Defaults.ArchiveFolder}/ with data_batch_1..5.bin and test_batch.bin");
        }
        return extracted;
    }

    private static bool IsComplete(string folder) =>
        Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").Append("test_batch.bin")
            .All(n => File.Exists(Path.Combine(folder, n)));
}
