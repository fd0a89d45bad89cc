using System.Text.Json;
using MlNetRobust.Torch.Modules;
using MlNetRobust.Torch.Serialization;

namespace MlNetRobust.Torch.Tests.Engine;

/// <summary>
/// A model saved by Python's torch.save (Fixtures/make_model_fixture.py, PyTorch 1.13.1) loads into our modules
/// and reproduces the output PyTorch recorded.
/// </summary>
public sealed class PythonModelFixtureTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static Sequential SameArchitecture() => new(
        new Conv2d(3, 4, 3, padding: 1, bias: false), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
        new AdaptiveAvgPool2d(1, 1), new Flatten(), new Linear(4, 3));

    [Fact]
    public void Model_saved_by_pytorch_loads_and_gives_the_recorded_output()
    {
        var io = JsonDocument.Parse(File.ReadAllText(Fixture("tiny_model_io.json"))).RootElement;
        static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();
        static long[] Shape(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt64()).ToArray();

        using var model = SameArchitecture();
        StateDictFile.LoadInto(model, Fixture("tiny_model.pt"));
        model.eval();
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(Floats(io.GetProperty("input")), Shape(io.GetProperty("input_shape")));
        var y = model.forward(x);
        var expected = Floats(io.GetProperty("output"));
        Assert.Equal(Shape(io.GetProperty("output_shape")), y.shape);
        var actual = y.data<float>();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5, $"output {i}: {actual[i]} vs PyTorch {expected[i]}");
        }
        Assert.True(model.state_dict()["1.num_batches_tracked"].item<long>() == 3, "buffers load too");
    }

    [Fact]
    public void Module_saved_here_loads_back_into_a_fresh_module_with_identical_outputs()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlnr-{Guid.NewGuid():N}.pt");
        try
        {
            torch.manual_seed(3);
            using var a = SameArchitecture();
            StateDictFile.Save(a, path);
            torch.manual_seed(4);
            using var b = SameArchitecture();
            StateDictFile.LoadInto(b, path);
            a.eval();
            b.eval();
            using var scope = torch.NewDisposeScope();
            var x = torch.randn([2, 3, 6, 6], new Generator(9));
            Assert.True(a.forward(x).equal(b.forward(x)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Loading_into_the_wrong_architecture_names_the_file_and_every_bad_key()
    {
        using var wrong = new Sequential(new Conv2d(3, 4, 3, padding: 1, bias: false), new BatchNorm2d(4), new ReLU(),
            new MaxPool2d(2), new AdaptiveAvgPool2d(1, 1), new Flatten(), new Linear(4, 5));
        var e = Assert.Throws<InvalidDataException>(() => StateDictFile.LoadInto(wrong, Fixture("tiny_model.pt")));
        Assert.Contains("tiny_model.pt", e.Message);
        Assert.Contains("shape mismatch for '6.weight': file has [3, 4], model has [5, 4]", e.Message);
        Assert.Contains("shape mismatch for '6.bias'", e.Message);
    }
}
