using static MlNetRobust.Torch.torch.nn.functional;

namespace MlNetRobust.Torch.Tests.Ops;

/// <summary>
/// Analytic gradients (backward, autograd.grad) against float64 central differences, and the autograd
/// bookkeeping that training and the attacks rely on.
/// </summary>
public sealed class GradientCheckTests
{
    private static Tensor Leaf(Generator g, params long[] shape) => TestUtil.Randn(g, shape).requires_grad_();

    // A non-scalar output is reduced against fixed random weights, so every output element's gradient counts.
    private static Func<Tensor> Projected(Func<Tensor> output, Tensor weights) => () => (output() * weights).sum();

    [Fact]
    public void Conv2d_gradient_matches_finite_differences()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(1);
        var (x, w, b) = (Leaf(g, 2, 4, 5, 5), Leaf(g, 6, 2, 3, 3), Leaf(g, 6));
        var proj = TestUtil.Randn(g, 2, 6, 3, 3);
        TestUtil.AssertGradientsMatchFiniteDifferences(
            Projected(() => conv2d(x, w, b, stride: 2, padding: 1, groups: 2), proj), ("input", x), ("weight", w), ("bias", b));
    }

    [Fact]
    public void Batch_norm_gradient_in_training_mode_matches_finite_differences()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(2);
        var (x, w, b) = (Leaf(g, 4, 3, 2, 2), Leaf(g, 3), Leaf(g, 3));
        var (runningMean, runningVar) = (torch.zeros([3], ScalarType.Float64), torch.ones([3], ScalarType.Float64));
        var proj = TestUtil.Randn(g, 4, 3, 2, 2);
        // Batch statistics depend on x, so its gradient is far from the eval-mode one; the running stats are
        // updated by every call but do not enter the training-mode output.
        TestUtil.AssertGradientsMatchFiniteDifferences(
            Projected(() => batch_norm(x, runningMean, runningVar, w, b, training: true), proj), ("input", x), ("weight", w), ("bias", b));
    }

    [Fact]
    public void Linear_gradient_matches_finite_differences()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(3);
        var (x, w, b) = (Leaf(g, 3, 4), Leaf(g, 2, 4), Leaf(g, 2));
        var proj = TestUtil.Randn(g, 3, 2);
        TestUtil.AssertGradientsMatchFiniteDifferences(Projected(() => linear(x, w, b), proj), ("input", x), ("weight", w), ("bias", b));
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.1, false)]
    [InlineData(0.1, true)]
    public void Cross_entropy_gradient_of_the_logits_matches_finite_differences(double labelSmoothing, bool classWeights)
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(4);
        var logits = Leaf(g, 5, 4);
        var target = torch.tensor(new long[] { 2, 0, 3, 3, 1 });
        var weight = classWeights ? torch.tensor(new[] { 0.5, 2.0, 1.0, 1.5 }) : null;
        TestUtil.AssertGradientsMatchFiniteDifferences(
            () => cross_entropy(logits, target, weight, labelSmoothing: labelSmoothing), ("logits", logits));
    }

    [Fact]
    public void Normalize_gradient_matches_finite_differences()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(5);
        var x = Leaf(g, 3, 4);
        var proj = TestUtil.Randn(g, 3, 4);
        TestUtil.AssertGradientsMatchFiniteDifferences(Projected(() => normalize(x), proj), ("input", x));
    }

    [Fact]
    public void Composite_network_gradient_matches_finite_differences()
    {
        using var scope = torch.NewDisposeScope();
        var net = new SmallNet(6);
        TestUtil.AssertGradientsMatchFiniteDifferences(() => net.Loss(net.X), [("input", net.X), .. net.Parameters]);
    }

    [Fact]
    public void Autograd_grad_with_respect_to_the_input_matches_finite_differences_and_leaves_grad_unset()
    {
        // This is FGSM's gradient: d loss / d input, taken without accumulating into any .grad.
        using var scope = torch.NewDisposeScope();
        var net = new SmallNet(7);
        var analytic = torch.autograd.grad([net.Loss(net.X)], [net.X])[0]!;
        TestUtil.AssertClose(TestUtil.NumericalGradient(() => net.Loss(net.X), net.X), analytic.data<double>(), net.X.shape,
            TestUtil.GradRtol, TestUtil.GradAtol, "d loss / d input");
        Assert.Null(net.X.grad);
        Assert.All(net.Parameters, p => Assert.Null(p.Value.grad));
    }

    [Fact]
    public void Backward_with_an_explicit_gradient_on_a_non_scalar_output_computes_the_vector_jacobian_product()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(8);
        var x = Leaf(g, 2, 3);
        var v = TestUtil.Randn(g, 2, 3);
        var y = x.pow(3);
        var ex = Assert.Throws<TorchException>(() => y.backward());
        Assert.Contains("only for scalar outputs", ex.Message);

        y.backward(v);
        using var noGrad = torch.no_grad();
        TestUtil.AssertClose(x.pow(2) * 3 * v, x.grad!, 1e-12, 0, "x.grad");
    }

    [Fact]
    public void Gradients_accumulate_across_backward_calls_until_grad_is_set_to_null()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(9);
        var x = Leaf(g, 4);
        Tensor Loss() => (x * x).sum(); // d/dx = 2x
        using var twoX = x.detach() * 2;

        Loss().backward();
        Loss().backward();
        TestUtil.AssertClose(twoX * 2, x.grad!, 1e-12, 0, "grad after two backward calls");

        x.grad = null;
        Assert.Null(x.grad);
        Loss().backward();
        TestUtil.AssertClose(twoX, x.grad!, 1e-12, 0, "grad after clearing and one backward call");
    }

    [Fact]
    public void Detach_stops_the_gradient_and_shares_storage()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(10);
        var x = Leaf(g, 4);
        var constant = x.detach();
        Assert.False(constant.requires_grad);

        (x * constant).sum().backward(); // x·c with c held constant: the gradient is c, not 2x
        TestUtil.AssertClose(constant, x.grad!, 1e-12, 0, "grad through a detached factor");

        constant.GetSpan<double>()[0] = 42;
        Assert.Equal(42.0, x.data<double>()[0]);
    }

    [Fact]
    public void No_grad_makes_tensors_without_requires_grad_and_restores_the_mode_when_disposed()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones([3], ScalarType.Float64).requires_grad_();
        Assert.True(torch.is_grad_enabled());
        using (torch.no_grad())
        {
            Assert.False(torch.is_grad_enabled());
            Assert.False((x * 2).requires_grad);
            using (torch.enable_grad())
            {
                Assert.True((x * 2).requires_grad);
            }
            Assert.False(torch.is_grad_enabled());
        }
        Assert.True(torch.is_grad_enabled());
        Assert.True((x * 2).requires_grad);
    }

    /// <summary>conv → batch norm (training) → relu → adaptive avg pool → linear → cross-entropy, all float64.</summary>
    private sealed class SmallNet
    {
        private readonly Tensor _convW, _convB, _bnW, _bnB, _fcW, _fcB, _target;

        public SmallNet(ulong seed)
        {
            using var g = new Generator(seed);
            X = Leaf(g, 2, 2, 6, 6);
            (_convW, _convB) = (Leaf(g, 3, 2, 3, 3), Leaf(g, 3));
            (_bnW, _bnB) = (Leaf(g, 3), Leaf(g, 3));
            (_fcW, _fcB) = (Leaf(g, 4, 3), Leaf(g, 4));
            _target = torch.tensor(new long[] { 1, 3 });
        }

        public Tensor X { get; }

        public (string Name, Tensor Value)[] Parameters =>
            [("conv.weight", _convW), ("conv.bias", _convB), ("bn.weight", _bnW), ("bn.bias", _bnB), ("fc.weight", _fcW), ("fc.bias", _fcB)];

        public Tensor Loss(Tensor input)
        {
            var h = conv2d(input, _convW, _convB, padding: 1);
            h = batch_norm(h, null, null, _bnW, _bnB, training: true).relu();
            h = adaptive_avg_pool2d(h, 1, 1).flatten(1);
            return cross_entropy(linear(h, _fcW, _fcB), _target);
        }
    }
}
