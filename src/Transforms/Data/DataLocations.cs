namespace MlNetRobust.Transforms.Data;

/// <summary>
/// Where data and caches live by default. Running from a checkout of the repository (the current folder or
/// the application's folder is inside it), that is the repository's <c>data/</c> folder, which git ignores;
/// elsewhere a per-user folder: <c>$XDG_CACHE_HOME/mlnet-robust</c> (or <c>~/.cache/mlnet-robust</c>).
/// <c>MLNR_CACHE_DIR</c> overrides the cache folder.
/// </summary>
public static class DataLocations
{
    /// <summary>The file that marks the repository's root.</summary>
    private const string RepositoryMarker = "MlNetRobust.sln";

    /// <summary>The repository root when running from inside a checkout, else null.</summary>
    public static string? RepositoryRoot =>
        WalkUp(Directory.GetCurrentDirectory()).Concat(WalkUp(AppContext.BaseDirectory))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, RepositoryMarker)));

    /// <summary><c>&lt;repo&gt;/data</c>, or the per-user folder outside a checkout.</summary>
    public static string DataFolder => RepositoryRoot is { } root ? Path.Combine(root, "data") : UserFolder;

    /// <summary>Decoded-image caches: <c>MLNR_CACHE_DIR</c>, else <c>&lt;repo&gt;/data/cache</c>, else the per-user folder's <c>cache/</c>.</summary>
    public static string CacheFolder =>
        Environment.GetEnvironmentVariable("MLNR_CACHE_DIR") is { Length: > 0 } overridden
            ? Path.GetFullPath(overridden)
            : Path.Combine(DataFolder, "cache");

    private static string UserFolder
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var root = !string.IsNullOrEmpty(xdg) ? xdg
                : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache")
                : Path.GetTempPath();
            return Path.Combine(root, "mlnet-robust");
        }
    }

    /// <summary>The folder and each of its parents, nearest first.</summary>
    internal static IEnumerable<string> WalkUp(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            yield return dir.FullName;
        }
    }
}
