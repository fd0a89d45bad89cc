using System.Text.Json;
using MlNetRobust.TestSupport;
using MlNetRobust.Torch.Serialization;

namespace MlNetRobust.Torch.Tests.Serialization;

/// <summary>Files written here, read by the real PyTorch (see <see cref="PythonTorch"/>).</summary>
public sealed class PythonInteropTests : IDisposable
{
    // Loads argv[1] both ways torch.load can, checks they agree, re-saves it to argv[2] with
    // torch.save, and prints what it loaded as JSON.
    private const string LoadAndResave = """
        import collections, json, sys, torch
        path, resaved = sys.argv[1], sys.argv[2]
        safe = torch.load(path, weights_only=True)
        full = torch.load(path)
        assert type(safe) is collections.OrderedDict, type(safe)
        assert list(safe) == list(full)
        def raw(t):
            return t.reshape(-1).view(torch.uint8).numpy().tobytes().hex()
        rows = []
        for name, t in safe.items():
            assert raw(t) == raw(full[name]), name
            rows.append({"name": name, "dtype": str(t.dtype), "shape": list(t.shape),
                         "contiguous": t.is_contiguous(), "hex": raw(t)})
        torch.save(safe, resaved)
        print(json.dumps(rows))
        """;

    private static readonly Dictionary<ScalarType, string> s_torchDTypes = new()
    {
        [ScalarType.Float32] = "torch.float32",
        [ScalarType.Float64] = "torch.float64",
        [ScalarType.Float16] = "torch.float16",
        [ScalarType.BFloat16] = "torch.bfloat16",
        [ScalarType.Int64] = "torch.int64",
        [ScalarType.Int32] = "torch.int32",
        [ScalarType.Int16] = "torch.int16",
        [ScalarType.Int8] = "torch.int8",
        [ScalarType.Byte] = "torch.uint8",
        [ScalarType.Bool] = "torch.bool",
    };

    private readonly string _folder = Directory.CreateTempSubdirectory("mlnr-pytorch-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [PyTorchFact]
    public void Python_torch_load_with_weights_only_reads_a_state_dict_saved_here()
    {
        var path = Path.Combine(_folder, "from_dotnet.pt");
        StateDictFile.Save(StateDictFileTests.Sample(), path);

        var loaded = JsonDocument.Parse(PythonTorch.Run(LoadAndResave, path, Path.Combine(_folder, "resaved.pt"))).RootElement;

        var rows = loaded.EnumerateArray().ToList();
        Assert.Equal(StateDictFileTests.Sample().Select(entry => entry.Key), rows.Select(row => row.GetProperty("name").GetString()));
        foreach (var (row, (name, record)) in rows.Zip(StateDictFileTests.Sample()))
        {
            Assert.Equal(s_torchDTypes[record.DType], row.GetProperty("dtype").GetString());
            Assert.Equal(record.Shape, row.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            Assert.True(row.GetProperty("contiguous").GetBoolean(), name);
            Assert.Equal(Convert.ToHexStringLower(record.Data), row.GetProperty("hex").GetString());
        }
    }

    [PyTorchFact]
    public void A_state_dict_saved_here_and_resaved_by_python_loads_back_identically()
    {
        var path = Path.Combine(_folder, "from_dotnet.pt");
        var resaved = Path.Combine(_folder, "resaved.pt");
        StateDictFile.Save(StateDictFileTests.Sample(), path);

        PythonTorch.Run(LoadAndResave, path, resaved);

        Assert.Equal(StateDictFileTests.Sample(), StateDictFile.Load(resaved));
    }
}
