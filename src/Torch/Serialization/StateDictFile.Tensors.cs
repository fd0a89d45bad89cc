using MlNetRobust.Torch.Modules;

namespace MlNetRobust.Torch.Serialization;

// The bridge between the file format (TensorRecord) and live tensors and modules.
public static partial class StateDictFile
{
    /// <summary>Writes a module's state dict (parameters and persistent buffers) as torch.save does; atomic.</summary>
    public static void Save(Module module, string path) => Save(module.state_dict(), path);

    /// <summary>Writes named tensors as torch.save does; atomic.</summary>
    public static void Save(IEnumerable<KeyValuePair<string, Tensor>> tensors, string path) =>
        Save(tensors.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.ToRecord())).ToList(), path);

    /// <summary>Reads a torch.save state dict into new CPU tensors, in file order. The caller disposes them.</summary>
    public static OrderedDictionary<string, Tensor> LoadTensors(string path)
    {
        var result = new OrderedDictionary<string, Tensor>();
        foreach (var (name, record) in Load(path))
        {
            result[name] = record.ToTensor().DetachFromDisposeScope();
        }
        return result;
    }

    /// <summary>Loads a state dict file into a module; see <see cref="Module.load_state_dict"/> for the checks.</summary>
    public static void LoadInto(Module module, string path, bool strict = true)
    {
        var tensors = LoadTensors(path);
        try
        {
            module.load_state_dict(tensors, strict);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        finally
        {
            foreach (var t in tensors.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>The tensor's elements as a record (copied to the CPU, made contiguous).</summary>
    public static TensorRecord ToRecord(this Tensor tensor) => new(tensor.dtype, tensor.shape, tensor.ToBytes());

    /// <summary>A new CPU tensor holding the record's elements.</summary>
    public static Tensor ToTensor(this TensorRecord record) => torch.frombuffer(record.Data, record.DType, record.Shape);
}
