using System.Text.Json;
using static MlNetRobust.Torch.torch.nn.functional;

namespace MlNetRobust.Torch.Tests.Ops;

/// <summary>
/// Op values against PyTorch 1.13: each case of Fixtures/op_references.json (made by make_op_references.py)
/// holds float64 inputs, the op's parameters and PyTorch's outputs; the test reruns the op through our API.
/// </summary>
public sealed class OpReferenceTests
{
    // Both sides run the same libtorch kernels, so float64 results agree far inside this.
    private const double Rtol = 1e-6;
    private const double Atol = 1e-12;

    private static readonly JsonElement Root =
        JsonDocument.Parse(File.ReadAllText(TestUtil.Fixture("op_references.json"))).RootElement;

    private static readonly Dictionary<string, OpCase> Cases =
        Root.GetProperty("cases").EnumerateObject().ToDictionary(p => p.Name, p => new OpCase(p.Value));

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Op_matches_pytorch(string name)
    {
        using var scope = torch.NewDisposeScope();
        var c = Cases[name];
        Assert.True(Ops.TryGetValue(c.Op, out var run), $"no C# implementation for op '{c.Op}'");
        var actual = run(c);
        Assert.Equal(c.Outputs.Keys.Order(), actual.Keys.Order());
        foreach (var (output, expected) in c.Outputs)
        {
            AssertMatches(expected, actual[output], $"{name}.{output}");
        }
    }

    [Fact]
    public void Fixture_comes_from_torch_1_13_and_every_op_is_covered()
    {
        Assert.StartsWith("1.13", Root.GetProperty("torch").GetString());
        var used = Cases.Values.Select(c => c.Op).ToHashSet();
        Assert.Empty(Ops.Keys.Except(used));
        Assert.Empty(used.Except(Ops.Keys));
    }

    [Fact]
    public void Grid_sample_with_a_quarter_turn_affine_grid_equals_rot90()
    {
        // align_corners=False puts the rotated sampling points exactly on pixel centres of an even-sized image.
        using var scope = torch.NewDisposeScope();
        var image = torch.arange(16, ScalarType.Float64).reshape(1, 1, 4, 4);
        var theta = torch.tensor(new double[] { 0, -1, 0, 1, 0, 0 }, 1, 2, 3);
        var grid = affine_grid(theta, [1, 1, 4, 4], alignCorners: false);
        var rotated = grid_sample(image, grid, InterpolationMode.Bilinear, GridPadding.Zeros, alignCorners: false);
        TestUtil.AssertClose(image.rot90(1, 2, 3), rotated, 0, 1e-12, "grid_sample rotation");
    }

    private static void AssertMatches(TensorData expected, Tensor actual, string what)
    {
        Assert.True(expected.DType == actual.dtype, $"{what}: expected dtype {expected.DType}, got {actual.dtype}");
        Assert.True(expected.Shape.SequenceEqual(actual.shape),
            $"{what}: expected shape [{string.Join(", ", expected.Shape)}], got [{string.Join(", ", actual.shape)}]");
        switch (actual.dtype)
        {
            case ScalarType.Float64:
                TestUtil.AssertClose(expected.Data.Select(e => e.GetDouble()).ToArray(), actual.data<double>(), expected.Shape, Rtol, Atol, what);
                break;
            case ScalarType.Int64:
                Assert.Equal(expected.Data.Select(e => e.GetInt64()).ToArray(), actual.data<long>());
                break;
            default:
                Assert.Equal(expected.Data.Select(e => e.GetBoolean()).ToArray(), actual.data<bool>());
                break;
        }
    }

    // ---- the ops, keyed by the fixture's "op" -----------------------------------------------------------

    private static readonly Dictionary<string, Func<OpCase, Dictionary<string, Tensor>>> Ops = new()
    {
        ["add"] = c => Out(c.In("a").add(c.In("b"), c.Double("alpha", 1))),
        ["add_scalar"] = WithScalar((a, s) => a + s),
        ["sub"] = Binary((a, b) => a - b),
        ["sub_scalar"] = WithScalar((a, s) => a - s),
        ["rsub_scalar"] = WithScalar((a, s) => s - a),
        ["mul"] = Binary((a, b) => a * b),
        ["mul_scalar"] = WithScalar((a, s) => a * s),
        ["div"] = Binary((a, b) => a / b),
        ["div_scalar"] = WithScalar((a, s) => a / s),
        ["rdiv_scalar"] = WithScalar((a, s) => s / a),
        ["pow"] = Binary((a, b) => a.pow(b)),
        ["pow_scalar"] = WithScalar((a, s) => a.pow(s)),
        ["scalar_pow"] = WithScalar((a, s) => torch.pow(s, a)),
        ["matmul"] = Binary(torch.matmul),

        ["eq"] = Binary((a, b) => a.eq(b)),
        ["ne"] = Binary((a, b) => a.ne(b)),
        ["lt"] = Binary((a, b) => a.lt(b)),
        ["le"] = Binary((a, b) => a.le(b)),
        ["gt"] = Binary((a, b) => a.gt(b)),
        ["ge"] = Binary((a, b) => a.ge(b)),
        ["eq_scalar"] = WithScalar((a, s) => a.eq(s)),
        ["ne_scalar"] = WithScalar((a, s) => a.ne(s)),
        ["lt_scalar"] = WithScalar((a, s) => a.lt(s)),
        ["le_scalar"] = WithScalar((a, s) => a.le(s)),
        ["gt_scalar"] = WithScalar((a, s) => a.gt(s)),
        ["ge_scalar"] = WithScalar((a, s) => a.ge(s)),
        ["where"] = Binary((a, b) => torch.where(a.gt(b), a, b)),

        ["clamp"] = c => Out(c.In("a").clamp(c.OptionalScalar("min"), c.OptionalScalar("max"))),
        ["clamp_tensor"] = c => Out(c.In("a").clamp(c.OptionalIn("min"), c.OptionalIn("max"))),
        ["sign"] = Unary(a => a.sign()),
        ["abs"] = Unary(a => a.abs()),
        ["exp"] = Unary(a => a.exp()),
        ["log"] = Unary(a => a.log()),
        ["sqrt"] = Unary(a => a.sqrt()),

        ["sum"] = c => Out(c.Has("dims") ? c.In("a").sum(c.Longs("dims"), c.Bool("keepdim")) : c.In("a").sum()),
        ["mean"] = c => Out(c.Has("dims") ? c.In("a").mean(c.Longs("dims"), c.Bool("keepdim")) : c.In("a").mean()),
        ["max_all"] = Unary(a => a.max()),
        ["min_all"] = Unary(a => a.min()),
        ["max"] = c => Pair(c.In("a").max(c.Long("dim"), c.Bool("keepdim"))),
        ["min"] = c => Pair(c.In("a").min(c.Long("dim"), c.Bool("keepdim"))),
        ["argmax"] = c => Out(c.Has("dim") ? c.In("a").argmax(c.Long("dim"), c.Bool("keepdim")) : c.In("a").argmax()),
        ["std"] = c => Out(c.Has("dims")
            ? c.In("a").std(c.Longs("dims"), c.Bool("unbiased"), c.Bool("keepdim"))
            : c.In("a").std(c.Bool("unbiased"))),
        ["var"] = c => Out(c.Has("dims")
            ? c.In("a").var(c.Longs("dims"), c.Bool("unbiased"), c.Bool("keepdim"))
            : c.In("a").var(c.Bool("unbiased"))),
        ["logsumexp"] = c => Out(c.In("a").logsumexp(c.Long("dim"), c.Bool("keepdim"))),
        ["cumsum"] = c => Out(c.In("a").cumsum(c.Long("dim"))),

        ["softmax"] = c => Out(softmax(c.In("a"), c.Long("dim"))),
        ["log_softmax"] = c => Out(log_softmax(c.In("a"), c.Long("dim"))),
        ["cross_entropy"] = c => Out(cross_entropy(c.In("input"), c.In("target"), c.OptionalIn("weight"),
            c.Enum<Reduction>("reduction"), c.Long("ignore_index"), c.Double("label_smoothing"))),
        ["nll_loss"] = c => Out(nll_loss(c.In("input"), c.In("target"), c.OptionalIn("weight"),
            c.Enum<Reduction>("reduction"), c.Long("ignore_index"))),
        ["normalize"] = c => Out(normalize(c.In("a"), c.Double("p"), c.Long("dim"))),

        ["cat"] = c => Out(torch.cat([c.In("a"), c.In("b")], c.Long("dim"))),
        ["stack"] = c => Out(torch.stack([c.In("a"), c.In("b")], c.Long("dim"))),
        ["reshape"] = c => Out(c.In("a").reshape(c.Longs("shape"))),
        ["permute"] = c => Out(c.In("a").permute(c.Longs("dims"))),
        ["transpose"] = c => Out(c.In("a").transpose(c.Long("dim0"), c.Long("dim1"))),
        ["flip"] = c => Out(c.In("a").flip(c.Longs("dims"))),
        ["slice"] = c => Out(c.In("a").slice(c.Long("dim"), c.Long("start"), c.Long("end"), c.Long("step"))),
        ["index_select"] = c => Out(c.In("a").index_select(c.Long("dim"), c.In("index"))),
        ["gather"] = c => Out(c.In("a").gather(c.Long("dim"), c.In("index"))),
        ["scatter"] = c => Out(c.In("a").scatter(c.Long("dim"), c.In("index"), c.In("src"))),
        ["scatter_add"] = c => Out(c.In("a").scatter_add(c.Long("dim"), c.In("index"), c.In("src"))),
        ["masked_fill"] = c => Out(c.In("a").masked_fill(c.In("mask"), c.Double("value"))),
        ["topk"] = c => Pair(c.In("a").topk(c.Long("k"), c.Long("dim"), c.Bool("largest"))),
        ["sort"] = c => Pair(c.In("a").sort(c.Long("dim"), c.Bool("descending"))),
        ["cdist"] = c => Out(torch.cdist(c.In("a"), c.In("b"), c.Double("p"))),

        ["conv2d"] = c => Out(conv2d(c.In("input"), c.In("weight"), c.OptionalIn("bias"),
            stride: c.Long("stride"), padding: c.Long("padding"), groups: c.Long("groups"))),
        ["batch_norm"] = c =>
        {
            // The running statistics are updated in place (training mode), so they are outputs too.
            var (mean, var) = (c.In("running_mean"), c.In("running_var"));
            var output = batch_norm(c.In("input"), mean, var, c.In("weight"), c.In("bias"),
                c.Bool("training"), c.Double("momentum"), c.Double("eps"));
            return new() { ["out"] = output, ["running_mean"] = mean, ["running_var"] = var };
        },
        ["max_pool2d"] = c => Out(max_pool2d(c.In("input"), c.Long("kernel"), c.Long("stride"), c.Long("padding"))),
        ["adaptive_avg_pool2d"] = c => Out(adaptive_avg_pool2d(c.In("input"), c.Long("height"), c.Long("width"))),
        ["linear"] = c => Out(linear(c.In("input"), c.In("weight"), c.OptionalIn("bias"))),

        ["pad"] = c => Out(pad(c.In("a"), c.Longs("pad"), c.String("mode"), c.Double("value"))),
        ["interpolate"] = c => Out(interpolate(c.In("a"), c.Long("height"), c.Long("width"),
            c.Enum<InterpolationMode>("mode"), c.Bool("align_corners"))),
        ["affine_grid"] = c => Out(affine_grid(c.In("theta"), c.Longs("size"), c.Bool("align_corners"))),
        ["grid_sample"] = c => Out(grid_sample(c.In("input"), c.In("grid"), c.Enum<InterpolationMode>("mode"),
            c.Enum<GridPadding>("padding"), c.Bool("align_corners"))),
        ["one_hot"] = c => Out(one_hot(c.In("a"), c.Long("num_classes"))),
        ["rot90"] = c => Out(c.In("a").rot90(c.Long("k"), c.Longs("dims")[0], c.Longs("dims")[1])),
    };

    private static Dictionary<string, Tensor> Out(Tensor t) => new() { ["out"] = t };

    private static Dictionary<string, Tensor> Pair((Tensor values, Tensor indices) r) =>
        new() { ["values"] = r.values, ["indices"] = r.indices };

    private static Func<OpCase, Dictionary<string, Tensor>> Unary(Func<Tensor, Tensor> f) => c => Out(f(c.In("a")));

    private static Func<OpCase, Dictionary<string, Tensor>> Binary(Func<Tensor, Tensor, Tensor> f) => c => Out(f(c.In("a"), c.In("b")));

    private static Func<OpCase, Dictionary<string, Tensor>> WithScalar(Func<Tensor, Scalar, Tensor> f) => c => Out(f(c.In("a"), c.Double("value")));

    // ---- the fixture's layout -----------------------------------------------------------------------

    private sealed record TensorData(ScalarType DType, long[] Shape, JsonElement[] Data)
    {
        public static TensorData Parse(JsonElement e) => new(
            e.GetProperty("dtype").GetString() switch
            {
                "float64" => ScalarType.Float64,
                "int64" => ScalarType.Int64,
                "bool" => ScalarType.Bool,
                var other => throw new InvalidDataException($"unexpected dtype {other} in the fixture"),
            },
            e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(),
            e.GetProperty("data").EnumerateArray().ToArray());

        /// <summary>A new tensor holding these values (registered with the current dispose scope).</summary>
        public Tensor ToTensor() => DType switch
        {
            ScalarType.Float64 => torch.tensor(Data.Select(d => d.GetDouble()).ToArray(), Shape),
            ScalarType.Int64 => torch.tensor(Data.Select(d => d.GetInt64()).ToArray(), Shape),
            _ => torch.tensor(Data.Select(d => d.GetBoolean()).ToArray(), Shape),
        };
    }

    private sealed class OpCase(JsonElement e)
    {
        private readonly JsonElement _params = e.GetProperty("params");
        private readonly Dictionary<string, TensorData> _inputs =
            e.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => TensorData.Parse(p.Value));

        public string Op { get; } = e.GetProperty("op").GetString()!;

        public Dictionary<string, TensorData> Outputs { get; } =
            e.GetProperty("outputs").EnumerateObject().ToDictionary(p => p.Name, p => TensorData.Parse(p.Value));

        public Tensor In(string name) => _inputs[name].ToTensor();

        public Tensor? OptionalIn(string name) => _inputs.TryGetValue(name, out var t) ? t.ToTensor() : null;

        public bool Has(string name) => _params.TryGetProperty(name, out _);

        public long Long(string name) => _params.GetProperty(name).GetInt64();

        public long[] Longs(string name) => _params.GetProperty(name).EnumerateArray().Select(d => d.GetInt64()).ToArray();

        public double Double(string name, double? fallback = null) =>
            Has(name) || fallback is null ? _params.GetProperty(name).GetDouble() : fallback.Value;

        public Scalar? OptionalScalar(string name) => Has(name) ? Double(name) : null;

        public bool Bool(string name) => _params.GetProperty(name).GetBoolean();

        public string String(string name) => _params.GetProperty(name).GetString()!;

        public T Enum<T>(string name) where T : struct, System.Enum => System.Enum.Parse<T>(String(name), ignoreCase: true);
    }
}
