using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace MlNetRobust.Transforms.Data;

/// <summary>
/// Downloading and unpacking data-set archives: an HTTP download written atomically (temp file, then rename),
/// an MD5 check, and a .tar.gz extraction that refuses every entry that would land outside its folder
/// (absolute names, "..", links) — a hostile archive cannot write anywhere else.
/// </summary>
public static class ArchiveDownloader
{
    /// <summary>Downloads <paramref name="url"/> to <paramref name="target"/>; a partial download never appears under the target name.</summary>
    public static void Download(string url, string target, TimeSpan timeout)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        var temp = $"{target}.part-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using var client = new HttpClient { Timeout = timeout };
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            using (var body = response.Content.ReadAsStream())
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                body.CopyTo(file, 1 << 20);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>The file's MD5 as lower-case hex (what data-set pages publish).</summary>
    public static string Md5(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }

    /// <summary>
    /// Extracts a .tar.gz into <paramref name="folder"/>: everything is first unpacked into a temporary folder
    /// inside it and moved into place only when the whole archive was read, so a refused or broken archive
    /// leaves nothing behind. Only regular files and folders are accepted.
    /// </summary>
    public static void ExtractTarGz(string archive, string folder)
    {
        var root = Path.GetFullPath(folder);
        var staging = Path.Combine(root, $".extract-{Guid.NewGuid():N}");
        var stagingRoot = staging + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(staging);
        try
        {
            using (var file = File.OpenRead(archive))
            using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            using (var tar = new TarReader(gzip))
            {
                while (tar.GetNextEntry() is { } entry)
                {
                    var name = entry.Name.Replace('\\', '/');
                    var target = Path.GetFullPath(Path.Combine(staging, name));
                    if (Path.IsPathRooted(name) || name.Split('/').Contains("..") || !(target + Path.DirectorySeparatorChar).StartsWith(stagingRoot, StringComparison.Ordinal))
                    {
                        throw new InvalidDataException($"{archive}: entry '{entry.Name}' would be written outside '{root}'; refusing to extract");
                    }
                    switch (entry.EntryType)
                    {
                        case TarEntryType.Directory:
                            Directory.CreateDirectory(target);
                            break;
                        case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                            entry.ExtractToFile(target, overwrite: true);
                            break;
                        case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes:
                            break;
                        default:
                            throw new InvalidDataException($"{archive}: entry '{entry.Name}' is a {entry.EntryType}; only files and folders are extracted");
                    }
                }
            }
            foreach (var entry in new DirectoryInfo(staging).EnumerateFileSystemInfos())
            {
                var destination = Path.Combine(root, entry.Name);
                if (Directory.Exists(destination))
                {
                    Directory.Delete(destination, recursive: true);
                }
                else if (File.Exists(destination))
                {
                    File.Delete(destination);
                }
                if (entry is DirectoryInfo d)
                {
                    d.MoveTo(destination);
                }
                else
                {
                    ((FileInfo)entry).MoveTo(destination);
                }
            }
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException)
        {
            throw new InvalidDataException($"{archive} is not a valid .tar.gz archive (corrupt or truncated): {e.Message}", e);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
