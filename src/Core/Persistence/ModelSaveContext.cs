using System.IO.Compression;
using System.Text.Json;
using MlNetRobust.Torch;
using MlNetRobust.Torch.Serialization;

namespace MlNetRobust.Persistence;

/// <summary>Where one pipeline step writes itself: a folder <c>steps/NNN-kind/</c> inside the model zip.</summary>
public sealed class ModelSaveContext
{
    private readonly ZipArchive _zip;

    internal ModelSaveContext(ZipArchive zip, string folder) => (_zip, Folder) = (zip, folder);

    /// <summary>The step's folder inside the zip, e.g. "steps/002-ResNet18Classifier".</summary>
    public string Folder { get; }

    /// <summary>Writes <c>name</c> (e.g. "options.json") as indented JSON.</summary>
    public void WriteJson<T>(string name, T value) =>
        WriteBytes(name, JsonSerializer.SerializeToUtf8Bytes(value, ModelZip.JsonOptions));

    public void WriteBytes(string name, ReadOnlySpan<byte> bytes)
    {
        var entry = _zip.CreateEntry($"{Folder}/{name}", CompressionLevel.Optimal);
        using var stream = entry.Open();
        stream.Write(bytes);
    }

    /// <summary>Writes tensors in PyTorch's torch.save format (e.g. "weights.pt"), loadable by Python as is.</summary>
    public void WriteStateDict(string name, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        using var buffer = new MemoryStream();
        StateDictFile.Save(tensors.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.ToRecord())), buffer);
        // Stored, not deflated: the archive inside is already a zip of raw floats that barely compress.
        var entry = _zip.CreateEntry($"{Folder}/{name}", CompressionLevel.NoCompression);
        using var stream = entry.Open();
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }
}

/// <summary>Where one pipeline step reads itself back from.</summary>
public sealed class ModelLoadContext
{
    private readonly ZipArchive _zip;

    internal ModelLoadContext(ZipArchive zip, string folder, int formatVersion, string modelPath) =>
        (_zip, Folder, FormatVersion, ModelPath) = (zip, folder, formatVersion, modelPath);

    public string Folder { get; }

    /// <summary>The stored layout version of this step (from the manifest).</summary>
    public int FormatVersion { get; }

    public string ModelPath { get; }

    public bool Exists(string name) => _zip.GetEntry($"{Folder}/{name}") is not null;

    public byte[] ReadBytes(string name)
    {
        var entry = _zip.GetEntry($"{Folder}/{name}") ?? throw new InvalidDataException($"{ModelPath}: entry '{Folder}/{name}' is missing");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public T ReadJson<T>(string name)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(ReadBytes(name), ModelZip.JsonOptions)
                ?? throw new InvalidDataException($"{ModelPath}: '{Folder}/{name}' is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{ModelPath}: '{Folder}/{name}' is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Reads a torch.save file into new tensors (the caller disposes them).</summary>
    public OrderedDictionary<string, Tensor> ReadStateDict(string name)
    {
        using var stream = new MemoryStream(ReadBytes(name));
        var result = new OrderedDictionary<string, Tensor>();
        foreach (var (key, record) in StateDictFile.Load(stream))
        {
            result[key] = record.ToTensor().DetachFromDisposeScope();
        }
        return result;
    }
}
