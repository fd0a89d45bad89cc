namespace MlNetRobust.Torch.Tests.Ops;

/// <summary>Data in and out of tensors, errors crossing the native boundary, seeded randomness, devices.</summary>
public sealed class TensorBasicsTests
{
    private static void AssertRoundTrip<T>(T[] values, params long[] shape) where T : unmanaged
    {
        using var t = torch.tensor(values, shape);
        Assert.Equal(ScalarTypes.Of<T>(), t.dtype);
        Assert.Equal(shape, t.shape);
        Assert.Equal(values, t.data<T>());
    }

    [Fact]
    public void Data_round_trips_for_float32_float64_int64_uint8_and_bool()
    {
        AssertRoundTrip(new[] { 1.5f, -0f, float.MaxValue, float.Epsilon, float.NaN, float.NegativeInfinity }, 2, 3);
        AssertRoundTrip(new[] { Math.PI, -1e-300, double.MaxValue, double.NaN }, 4);
        AssertRoundTrip(new[] { long.MinValue, -1, 0, long.MaxValue }, 2, 1, 2);
        AssertRoundTrip(new byte[] { 0, 1, 127, 128, 255, 42 }, 3, 2);
        AssertRoundTrip(new[] { true, false, false, true }, 2, 2);
    }

    [Fact]
    public void Writes_through_GetSpan_are_visible_in_the_tensor()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.zeros(2, 3);
        var span = t.GetSpan<float>();
        span[4] = 7.5f;
        span[0] = -1;
        Assert.Equal(new[] { -1f, 0, 0, 0, 7.5f, 0 }, t.data<float>());
        Assert.Equal(6.5f, t.sum().item<float>());
    }

    [Fact]
    public void Channels_last_keeps_the_values_and_moves_channels_innermost()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.arange(0, 24, 1, ScalarType.Float32).view(1, 2, 3, 4).requires_grad_();
        var last = t.contiguous(MemoryFormat.ChannelsLast);
        Assert.Equal([24L, 1, 8, 2], last.stride());
        Assert.True(last.is_contiguous(MemoryFormat.ChannelsLast));
        Assert.False(last.is_contiguous());
        Assert.True(last.equal(t));
        // Back to NCHW, and gradients flow through the layout change unchanged.
        Assert.Equal([24L, 12, 4, 1], last.contiguous(MemoryFormat.Contiguous).stride());
        last.mul(last).sum().backward();
        Assert.True(t.grad!.equal(t.mul(2)));
        // A 3-d tensor has no channels-last layout: libtorch's message comes through.
        var e = Assert.Throws<TorchException>(() => torch.zeros(2, 3, 4).contiguous(MemoryFormat.ChannelsLast));
        Assert.Contains("rank 4", e.Message);
    }

    [Fact]
    public void GetSpan_of_a_non_contiguous_tensor_throws()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.zeros(2, 3).t();
        var ex = Assert.Throws<TorchException>(() => t.GetSpan<float>().Length);
        Assert.Contains("contiguous", ex.Message);
    }

    [Fact]
    public void CopyTo_rejects_a_wrong_length_span_naming_both_sizes()
    {
        using var t = torch.zeros(2, 3);
        var ex = Assert.Throws<ArgumentException>(() => t.CopyTo<float>(new float[5]));
        Assert.Contains("5", ex.Message);
        Assert.Contains("6", ex.Message);
        Assert.Contains("float32[2, 3]", ex.Message);
    }

    [Fact]
    public void Data_with_the_wrong_element_type_throws_naming_both_types()
    {
        using var t = torch.zeros(2, 3);
        var ex = Assert.Throws<InvalidOperationException>(() => t.data<double>());
        Assert.Contains("Float32", ex.Message);
        Assert.Contains("Double", ex.Message);
    }

    [Fact]
    public void Shape_mismatch_throws_TorchException_carrying_libtorchs_explanation()
    {
        using var scope = torch.NewDisposeScope();
        var (a, b) = (torch.zeros(2, 3), torch.zeros(4));
        var add = Assert.Throws<TorchException>(() => a.add(b));
        Assert.Contains("size of tensor a (3) must match the size of tensor b (4)", add.Message);
        var matmul = Assert.Throws<TorchException>(() => a.matmul(a));
        Assert.Contains("cannot be multiplied (2x3 and 2x3)", matmul.Message);
        // The error is consumed: the next call on this thread succeeds.
        Assert.Equal([2L, 3], a.add(a).shape);
    }

    [Fact]
    public void A_seeded_generator_repeats_randn_and_randperm_and_another_seed_differs()
    {
        using var scope = torch.NewDisposeScope();
        (Tensor normal, Tensor perm) Draw(ulong seed)
        {
            using var g = new Generator(seed);
            return (torch.randn([2, 5], g), torch.randperm(20, g));
        }
        var (n1, p1) = Draw(42);
        var (n2, p2) = Draw(42);
        var (n3, p3) = Draw(43);
        Assert.True(n1.equal(n2));
        Assert.True(p1.equal(p2));
        Assert.False(n1.equal(n3));
        Assert.False(p1.equal(p3));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), p1.data<long>().Order());
    }

    [Fact]
    public void Generator_state_replays_the_same_numbers()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(7);
        torch.rand([3], g); // advance past the initial state
        var state = g.GetState();
        var first = torch.randn([8], g);
        g.SetState(state);
        Assert.True(first.equal(torch.randn([8], g)));

        using var other = new Generator(12345);
        other.SetState(state);
        Assert.True(first.equal(torch.randn([8], other)));
    }

    [Fact]
    public void Randint_draws_every_value_of_its_half_open_range()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(3);
        var values = torch.randint(-3, 5, [10_000], g);
        Assert.Equal(ScalarType.Int64, values.dtype);
        Assert.Equal(Enumerable.Range(-3, 8).Select(i => (long)i), values.data<long>().Distinct().Order());
    }

    [Fact]
    public void Bernoulli_mean_is_close_to_p()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(11);
        const double P = 0.3;
        var draws = torch.bernoulli(torch.full([100_000], P, ScalarType.Float64), g);
        Assert.True(draws.eq(0).logical_or(draws.eq(1)).all().item<bool>(), "bernoulli draws are 0 or 1");
        // The standard error is sqrt(p(1-p)/n) ≈ 0.00145; with a fixed seed the result is deterministic anyway.
        Assert.InRange(draws.mean().item<double>(), P - 0.01, P + 0.01);
    }

    [Theory]
    [InlineData("cpu", DeviceType.CPU, -1)]
    [InlineData("cuda", DeviceType.CUDA, -1)]
    [InlineData("cuda:1", DeviceType.CUDA, 1)]
    [InlineData(" CUDA:0 ", DeviceType.CUDA, 0)]
    public void Device_Parse_accepts_PyTorch_device_strings(string text, DeviceType type, int index)
    {
        Assert.Equal(new Device(type, index), Device.Parse(text));
    }

    [Theory]
    [InlineData("tpu", "unknown device 'tpu'")]
    [InlineData("cuda:x", "bad device index")]
    [InlineData("cuda:-1", "bad device index")]
    public void Device_Parse_rejects_other_strings_with_a_message(string text, string message)
    {
        var ex = Assert.Throws<FormatException>(() => Device.Parse(text));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Cuda_is_unavailable_on_a_cpu_only_build()
    {
        if (!torch.config.Contains("USE_CUDA=OFF"))
        {
            // Built against a CUDA libtorch (-DTorch_DIR=...): only consistency can be checked here.
            Assert.Equal(torch.cuda.is_available(), torch.cuda.device_count() > 0);
            return;
        }
        // Debian's libtorch is CPU-only.
        Assert.False(torch.cuda.is_available());
        Assert.Equal(0, torch.cuda.device_count());
        using var t = torch.zeros(1);
        Assert.Equal(Device.CPU, t.device); // equal to the parsed "cpu", so Module.to(Device.CPU) copies nothing
        Assert.Throws<TorchException>(() => t.cuda());
    }

    [Fact]
    public void Item_returns_the_value_of_a_one_element_tensor()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(2.5f, torch.tensor(new[] { 2.5f }).item<float>());
        Assert.Equal(2.5, torch.tensor(new[] { 2.5f }).item<double>());
        Assert.Equal(-7L, torch.tensor(new[] { -7L }, 1, 1).item<long>());
        Assert.Equal((byte)200, torch.tensor(new byte[] { 200 }).item<byte>());
        Assert.True(torch.tensor(new[] { true }).item<bool>());
        Assert.Equal(6.0, torch.scalar_tensor(6, ScalarType.Float64).item<double>());
        var ex = Assert.Throws<TorchException>(() => torch.zeros(2).item<float>());
        Assert.Contains("2 elements", ex.Message);
    }

    [Fact]
    public void ToString_of_a_small_tensor_shows_its_numbers()
    {
        using var scope = torch.NewDisposeScope();
        var text = torch.tensor(new long[] { 17, -42, 1000 }).ToString();
        Assert.Contains("17", text);
        Assert.Contains("-42", text);
        Assert.Contains("1000", text);
        Assert.Contains("1.5000", torch.tensor(new[] { 1.5f, -2.25f }).ToString());
        Assert.Contains("-2.2500", torch.tensor(new[] { 1.5f, -2.25f }).ToString());
    }
}
