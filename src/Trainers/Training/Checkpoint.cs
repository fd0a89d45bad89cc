using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetRobust.Torch;
using MlNetRobust.Torch.Serialization;

namespace MlNetRobust.Trainers.Training;

/// <summary>
/// The state a training run needs to continue exactly where it stopped, in one zip written atomically
/// (temp file + rename, so a crash mid-write leaves the previous checkpoint intact).
///
/// Layout (version 1): state.json (epochs done, scheduler step, history, options fingerprint),
/// model.pt (the network's state dict), optimizer.pt (optimizer state), best.pt (weights of the best epoch,
/// when validation is used). The .pt files are PyTorch torch.save archives.
/// </summary>
internal sealed class Checkpoint
{
    public const int Version = 1;
    public const string FileName = "checkpoint.zip";

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public sealed record State(int Version, string Fingerprint, int EpochsDone, long SchedulerStep, TrainingHistory History);

    public static string PathIn(string folder) => Path.Combine(folder, FileName);

    public static void Write(string folder, State state, IEnumerable<KeyValuePair<string, Tensor>> model,
        IEnumerable<KeyValuePair<string, Tensor>> optimizer, IEnumerable<KeyValuePair<string, Tensor>>? best)
    {
        Directory.CreateDirectory(folder);
        var path = PathIn(folder);
        var temp = path + $".tmp-{Environment.ProcessId}";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
            {
                using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
                {
                    WriteEntry(zip, "state.json", s => JsonSerializer.Serialize(s, state, s_json));
                    WriteEntry(zip, "model.pt", s => StateDictFile.Save(model.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.ToRecord())), s));
                    WriteEntry(zip, "optimizer.pt", s => StateDictFile.Save(optimizer.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.ToRecord())), s));
                    if (best is not null)
                    {
                        WriteEntry(zip, "best.pt", s => StateDictFile.Save(best.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.ToRecord())), s));
                    }
                }
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static void WriteEntry(ZipArchive zip, string name, Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }

    /// <summary>Reads a checkpoint; the caller disposes the tensors in the returned dictionaries.</summary>
    public static (State State, OrderedDictionary<string, Tensor> Model, OrderedDictionary<string, Tensor> Optimizer, OrderedDictionary<string, Tensor>? Best) Read(string folder)
    {
        var path = PathIn(folder);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var state = JsonSerializer.Deserialize<State>(ReadEntry(zip, "state.json", path), s_json)
                ?? throw new InvalidDataException($"{path}: state.json is empty");
            if (state.Version > Version)
            {
                throw new InvalidDataException($"{path}: checkpoint version {state.Version} is newer than this build reads ({Version})");
            }
            return (state, Tensors(zip, "model.pt", path), Tensors(zip, "optimizer.pt", path),
                zip.GetEntry("best.pt") is null ? null : Tensors(zip, "best.pt", path));
        }
        catch (Exception e) when (e is JsonException or InvalidDataException && e.Message.IndexOf(path, StringComparison.Ordinal) < 0)
        {
            throw new InvalidDataException($"checkpoint '{path}' is corrupt: {e.Message}", e);
        }
    }

    private static byte[] ReadEntry(ZipArchive zip, string name, string path)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"{path}: '{name}' is missing");
        using var s = entry.Open();
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    private static OrderedDictionary<string, Tensor> Tensors(ZipArchive zip, string name, string path)
    {
        using var stream = new MemoryStream(ReadEntry(zip, name, path));
        var result = new OrderedDictionary<string, Tensor>();
        foreach (var (key, record) in StateDictFile.Load(stream))
        {
            result[key] = record.ToTensor().DetachFromDisposeScope();
        }
        return result;
    }
}
