using System.Text.Json;
using MlNetRobust.Torch.Serialization;

namespace MlNetRobust.Torch.Tests.Serialization;

/// <summary>Files written by Python's torch.save (see Fixtures/make_serialization_fixtures.py).</summary>
public sealed class PythonFixtureTests
{
    private static readonly JsonElement s_expected =
        JsonDocument.Parse(File.ReadAllText(Fixture("serialization_expected.json"))).RootElement;

    [Theory]
    [InlineData("py_tensors.pt")]
    [InlineData("py_tensors_protocol4.pt")]
    public void Loads_a_state_dict_written_by_python_torch_save(string file) => AssertMatchesExpected(file);

    [Fact]
    public void Loads_non_contiguous_views_that_share_one_storage_as_contiguous_tensors() =>
        AssertMatchesExpected("py_views.pt");

    [Fact]
    public void Loads_a_model_state_dict_and_ignores_its_metadata() => AssertMatchesExpected("py_model.pt");

    [Fact]
    public void Gives_views_of_one_storage_independent_arrays()
    {
        var loaded = StateDictFile.Load(Fixture("py_views.pt")).ToDictionary();

        loaded["base"].Data.AsSpan().Clear();

        Assert.Equal([4f, 5f, 6f, 7f], loaded["row"].AsSpan<float>().ToArray());
    }

    [Fact]
    public void Refuses_a_pickle_that_calls_os_system()
    {
        var path = Fixture("malicious_os_system.pt");

        var error = Assert.Throws<UnsafePickleException>(() => StateDictFile.Load(path));

        Assert.Contains("refused global 'os.system'", error.Message);
        Assert.Contains($"'malicious_os_system/data.pkl' of '{path}'", error.Message);
        Assert.Contains("may contain code", error.Message);
    }

    [Fact]
    public void Rejects_a_truncated_file_naming_it()
    {
        var path = Fixture("truncated.pt");

        var error = Assert.Throws<InvalidDataException>(() => StateDictFile.Load(path));

        Assert.Contains($"'{path}' is not a readable zip archive (corrupt or truncated)", error.Message);
    }

    [Fact]
    public void Rejects_a_truncated_pickle_saying_where_it_ends()
    {
        var path = Fixture("truncated_pickle.pt");

        var error = Assert.Throws<InvalidDataException>(() => StateDictFile.Load(path));

        Assert.StartsWith($"truncated pickle in 'truncated_pickle/data.pkl' of '{path}' at byte ", error.Message);
    }

    [Fact]
    public void Rejects_a_file_whose_storage_record_is_missing_naming_the_record_and_the_tensor()
    {
        var path = Fixture("missing_storage.pt");

        var error = Assert.Throws<InvalidDataException>(() => StateDictFile.Load(path));

        Assert.Equal($"'{path}' has no storage record 'missing_storage/data/1', which tensor 'f64' needs", error.Message);
    }

    [Fact]
    public void Rejects_the_legacy_format_and_says_how_to_convert_it()
    {
        var error = Assert.Throws<InvalidDataException>(() => StateDictFile.Load(Fixture("legacy.pt")));

        Assert.Contains("legacy torch.save format", error.Message);
        Assert.Contains("PyTorch >= 1.6", error.Message);
    }

    internal static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static void AssertMatchesExpected(string file)
    {
        var expected = s_expected.GetProperty(file).EnumerateArray().ToList();

        var loaded = StateDictFile.Load(Fixture(file));

        Assert.Equal(expected.Select(e => e.GetProperty("name").GetString()), loaded.Select(entry => entry.Key));
        foreach (var (entry, (name, record)) in expected.Zip(loaded))
        {
            Assert.Equal(entry.GetProperty("dtype").GetString(), record.DType.ToString());
            Assert.Equal(entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()), record.Shape);
            Assert.True(
                Convert.FromHexString(entry.GetProperty("hex").GetString()!).AsSpan().SequenceEqual(record.Data),
                $"bytes of '{name}' differ");
            Assert.Equal(entry.GetProperty("values").EnumerateArray().Select(Number), Values(record));
        }
    }

    private static double Number(JsonElement value) =>
        value.ValueKind is JsonValueKind.True or JsonValueKind.False ? (value.GetBoolean() ? 1 : 0) : value.GetDouble();

    /// <summary>The elements as doubles, decoded independently of the loader.</summary>
    private static IEnumerable<double> Values(TensorRecord record) => record.DType switch
    {
        ScalarType.Float32 => record.AsSpan<float>().ToArray().Select(v => (double)v),
        ScalarType.Float64 => record.AsSpan<double>().ToArray(),
        ScalarType.Float16 => record.AsSpan<Half>().ToArray().Select(v => (double)v),
        ScalarType.BFloat16 => record.Data.Chunk(2).Select(b => (double)BitConverter.Int32BitsToSingle((b[0] | (b[1] << 8)) << 16)),
        ScalarType.Int64 => record.AsSpan<long>().ToArray().Select(v => (double)v),
        ScalarType.Int32 => record.AsSpan<int>().ToArray().Select(v => (double)v),
        ScalarType.Int16 => record.AsSpan<short>().ToArray().Select(v => (double)v),
        ScalarType.Int8 => record.AsSpan<sbyte>().ToArray().Select(v => (double)v),
        ScalarType.Byte => record.AsSpan<byte>().ToArray().Select(v => (double)v),
        ScalarType.Bool => record.AsSpan<bool>().ToArray().Select(v => v ? 1.0 : 0.0),
        _ => throw new NotSupportedException(record.DType.ToString()),
    };
}
