using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using MlNetRobust.Transforms.Data;

namespace MlNetRobust.Transforms.Tests.Data;

public class Cifar10Tests
{
    private readonly RobustContext _ctx = new(seed: 1);

    /// <summary>A small stand-in for cifar-10-binary.tar.gz: the same names, two records per file.</summary>
    private static byte[] MakeArchive(params (string Name, byte[] Content)[] extra)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            void Add(string name, byte[] content) =>
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "cifar-10-batches-bin/"));
            Add("cifar-10-batches-bin/batches.meta.txt", System.Text.Encoding.UTF8.GetBytes(string.Join("\n", Cifar10.ClassNames) + "\n"));
            for (var i = 1; i <= 5; i++)
            {
                Add($"cifar-10-batches-bin/data_batch_{i}.bin", CifarBinaryLoaderTests.Records(i, 9));
            }
            Add("cifar-10-batches-bin/test_batch.bin", CifarBinaryLoaderTests.Records(3, 4, 5));
            foreach (var (name, content) in extra)
            {
                Add(name, content);
            }
        }
        return buffer.ToArray();
    }

    private static string Md5(byte[] data) => Convert.ToHexStringLower(MD5.HashData(data));

    [Fact]
    public void Constants_are_cifar10s_label_order_and_normalisation()
    {
        Assert.Equal(["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"], Cifar10.ClassNames);
        Assert.Equal(Cifar10.ClassNames.Order(StringComparer.Ordinal), Cifar10.ClassNames); // so a folder per class gives the same labels
        Assert.Equal((0.4914, 0.4822, 0.4465), Cifar10.Mean);
        Assert.Equal((0.2470, 0.2435, 0.2616), Cifar10.Std);
    }

    [Fact]
    public void Locate_walks_up_to_a_shared_datasets_folder_beside_the_repository()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir["shared/datasets/cifar10-jpg/test"]);
        Directory.CreateDirectory(dir["repo/tests/bin"]);

        Assert.Equal(dir["shared/datasets/cifar10-jpg"], Cifar10.Locate([dir["repo/tests/bin"]]));
        Assert.Null(Cifar10.Locate([Path.GetPathRoot(dir.Path)!]));
    }

    [Fact]
    public void Offline_prepare_fails_saying_where_to_put_the_files()
    {
        using var dir = new TempFolder();
        var error = Assert.Throws<IOException>(() => _ctx.Data.PrepareCifar10(dir.Path, url: "http://127.0.0.1:9/cifar-10-binary.tar.gz"));
        Assert.StartsWith("could not download CIFAR-10 from http://127.0.0.1:9/cifar-10-binary.tar.gz (no network?)", error.Message);
        Assert.Contains($"in {dir.Path}", error.Message);
        Assert.Contains("--data", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path)); // no partial download left behind
    }

    [Fact]
    public void An_archive_already_in_the_folder_is_checked_and_extracted_without_the_network()
    {
        using var dir = new TempFolder();
        var archive = MakeArchive();
        File.WriteAllBytes(dir["cifar-10-binary.tar.gz"], archive);

        var folder = _ctx.Data.PrepareCifar10(dir.Path, url: "http://127.0.0.1:9/unused", md5: Md5(archive));

        Assert.Equal(dir["cifar-10-batches-bin"], folder);
        var test = _ctx.Data.LoadFromCifarBinary(folder, CifarSplit.Test);
        Assert.Equal([3, 4, 5], test.Labels);
        Assert.Equal(Cifar10.ClassNames, test.ClassNames);
        Assert.Equal(10, _ctx.Data.LoadFromCifarBinary(dir.Path).RowCount);
        Assert.DoesNotContain(Directory.GetDirectories(dir.Path), d => Path.GetFileName(d).StartsWith(".extract"));
        // Prepared once, it is found again without even reading the archive.
        File.Delete(dir["cifar-10-binary.tar.gz"]);
        Assert.Equal(folder, _ctx.Data.PrepareCifar10(dir.Path, url: "http://127.0.0.1:9/unused"));
    }

    [Fact]
    public void A_checksum_mismatch_is_refused_before_extracting()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir["cifar-10-binary.tar.gz"], MakeArchive());

        var error = Assert.Throws<InvalidDataException>(() => _ctx.Data.PrepareCifar10(dir.Path, url: "http://127.0.0.1:9/unused"));
        Assert.Contains("checksum mismatch", error.Message);
        Assert.Contains(Cifar10.Defaults.Md5, error.Message);
        Assert.False(Directory.Exists(dir["cifar-10-batches-bin"]));
        Assert.True(File.Exists(dir["cifar-10-binary.tar.gz"])); // the user's own file is not deleted
    }

    [Theory]
    [InlineData("../escaped.txt")]
    [InlineData("cifar-10-batches-bin/../../escaped.txt")]
    [InlineData("/tmp/escaped.txt")]
    public void Archive_entries_that_would_escape_the_folder_are_refused_and_nothing_is_extracted(string name)
    {
        using var dir = new TempFolder();
        var inner = Path.Combine(dir.Path, "data");
        Directory.CreateDirectory(inner);
        var archive = MakeArchive((name, [1, 2, 3]));
        File.WriteAllBytes(Path.Combine(inner, "cifar-10-binary.tar.gz"), archive);

        var error = Assert.Throws<InvalidDataException>(() => _ctx.Data.PrepareCifar10(inner, url: "http://127.0.0.1:9/unused", md5: Md5(archive)));

        Assert.Contains($"entry '{name}' would be written outside", error.Message);
        Assert.False(File.Exists(dir["escaped.txt"]));
        Assert.Equal(["cifar-10-binary.tar.gz"], Directory.GetFileSystemEntries(inner).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_download_is_verified_and_extracted()
    {
        var archive = MakeArchive();
        var port = FreePort();
        using var server = new HttpListener();
        server.Prefixes.Add($"http://127.0.0.1:{port}/");
        server.Start();
        var serving = Task.Run(() =>
        {
            var context = server.GetContext();
            context.Response.ContentLength64 = archive.Length;
            context.Response.OutputStream.Write(archive);
            context.Response.Close();
        });
        using var dir = new TempFolder();

        var folder = _ctx.Data.PrepareCifar10(dir.Path, url: $"http://127.0.0.1:{port}/cifar-10-binary.tar.gz", md5: Md5(archive));

        await serving.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(archive, File.ReadAllBytes(dir["cifar-10-binary.tar.gz"]));
        Assert.Equal(3, _ctx.Data.LoadFromCifarBinary(folder, CifarSplit.Test).RowCount);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
