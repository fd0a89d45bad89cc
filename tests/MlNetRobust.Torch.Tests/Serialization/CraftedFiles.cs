using System.IO.Compression;
using System.Text;

namespace MlNetRobust.Torch.Tests.Serialization;

/// <summary>Builds pickles opcode by opcode and wraps them in torch-style zips, for files that
/// Python would never write (hostile, inconsistent or exotic ones).</summary>
internal static class CraftedFiles
{
    public static readonly byte[] Proto2 = [0x80, 2];
    public static readonly byte[] Mark = [(byte)'('];
    public static readonly byte[] Tuple = [(byte)'t'];
    public static readonly byte[] Tuple1 = [0x85];
    public static readonly byte[] EmptyTuple = [(byte)')'];
    public static readonly byte[] EmptyDict = [(byte)'}'];
    public static readonly byte[] Reduce = [(byte)'R'];
    public static readonly byte[] Build = [(byte)'b'];
    public static readonly byte[] SetItem = [(byte)'s'];
    public static readonly byte[] BinPersId = [(byte)'Q'];
    public static readonly byte[] NewFalse = [0x89];
    public static readonly byte[] StackGlobal = [0x93];
    public static readonly byte[] Stop = [(byte)'.'];

    public static byte[] Global(string module, string name) => [(byte)'c', .. Encoding.ASCII.GetBytes($"{module}\n{name}\n")];

    public static byte[] Str(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return [(byte)'X', .. BitConverter.GetBytes(bytes.Length), .. bytes];
    }

    public static byte[] Int(int value) => [(byte)'J', .. BitConverter.GetBytes(value)];

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(part => part).ToArray();

    public static byte[] OrderedDict() => Concat(Global("collections", "OrderedDict"), EmptyTuple, Reduce);

    public static byte[] IntTuple(params int[] values) => Concat([Mark, .. values.Select(Int), Tuple]);

    /// <summary><c>_rebuild_tensor_v2(('storage', torch.&lt;storageType&gt;, key, 'cpu', numel), offset, shape, stride, False, OrderedDict())</c>.</summary>
    public static byte[] Tensor(string storageType, string key, int numel, int offset, int[] shape, int[] stride) => Concat(
        Global("torch._utils", "_rebuild_tensor_v2"),
        Mark,
        Mark, Str("storage"), Global("torch", storageType), Str(key), Str("cpu"), Int(numel), Tuple, BinPersId,
        Int(offset), IntTuple(shape), IntTuple(stride), NewFalse, OrderedDict(),
        Tuple, Reduce);

    /// <summary>A complete pickle of <c>OrderedDict([(name, value)])</c>.</summary>
    public static byte[] StateDict(string name, byte[] value) => Concat(Proto2, OrderedDict(), Str(name), value, SetItem, Stop);

    /// <summary>A zip with the given records (stored), as a stream positioned at its start.</summary>
    public static MemoryStream Zip(params (string Name, byte[] Data)[] records)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in records)
            {
                using var entry = archive.CreateEntry(name, CompressionLevel.NoCompression).Open();
                entry.Write(data);
            }
        }

        stream.Position = 0;
        return stream;
    }

    /// <summary>A torch-style zip holding <paramref name="pickle"/> as archive/data.pkl, plus storages.</summary>
    public static MemoryStream TorchZip(byte[] pickle, params (string Key, byte[] Data)[] storages) =>
        Zip([("archive/data.pkl", pickle), .. storages.Select(s => ($"archive/data/{s.Key}", s.Data)), ("archive/version", "3\n"u8.ToArray())]);

    /// <summary>The records of a zip, by name.</summary>
    public static Dictionary<string, byte[]> Records(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(entry => entry.FullName, entry =>
        {
            using var data = entry.Open();
            var copy = new MemoryStream();
            data.CopyTo(copy);
            return copy.ToArray();
        });
    }
}
