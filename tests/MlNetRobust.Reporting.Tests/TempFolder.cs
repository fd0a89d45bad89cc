namespace MlNetRobust.Reporting.Tests;

/// <summary>A fresh folder under the system temp folder, deleted on dispose unless kept.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "mlnr-reporting-")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Leaves the folder on disk (test artifacts worth looking at).</summary>
    public bool Keep { get; set; }

    public void Dispose()
    {
        if (!Keep)
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless; a failing dispose would hide the test's result.
            }
        }
    }
}
