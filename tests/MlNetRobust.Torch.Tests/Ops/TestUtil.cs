using System.Globalization;

namespace MlNetRobust.Torch.Tests.Ops;

/// <summary>Helpers shared by the op tests: fixtures, closeness assertions, finite differences.</summary>
internal static class TestUtil
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>A float64 standard-normal tensor from <paramref name="generator"/>.</summary>
    public static Tensor Randn(Generator generator, params long[] shape) => torch.randn(shape, generator, ScalarType.Float64);

    /// <summary>The elements of a floating-point tensor as doubles.</summary>
    public static double[] Doubles(Tensor t)
    {
        if (t.dtype == ScalarType.Float64)
        {
            return t.data<double>();
        }
        using var converted = t.to(ScalarType.Float64);
        return converted.data<double>();
    }

    /// <summary>
    /// Asserts |actual − expected| ≤ atol + rtol·|expected| for every element. On failure the message names
    /// how many elements are off and the worst one (by how far it exceeds its allowance), with its index.
    /// </summary>
    public static void AssertClose(double[] expected, double[] actual, long[] shape, double rtol, double atol, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} elements, got {actual.Length}");
        var (failures, worst, worstRatio) = (0, -1, 1.0);
        for (var i = 0; i < expected.Length; i++)
        {
            var allowed = atol + rtol * Math.Abs(expected[i]);
            var ratio = Math.Abs(actual[i] - expected[i]) / allowed;
            // NaN compares false everywhere, so it is caught explicitly (a NaN where a NaN is expected is fine).
            var bad = double.IsNaN(actual[i]) != double.IsNaN(expected[i]) || ratio > 1;
            if (bad)
            {
                failures++;
                if (worst < 0 || double.IsNaN(ratio) || ratio > worstRatio)
                {
                    (worst, worstRatio) = (i, double.IsNaN(ratio) ? double.PositiveInfinity : ratio);
                }
            }
        }
        if (failures > 0)
        {
            var diff = Math.Abs(actual[worst] - expected[worst]);
            Assert.Fail($"{what}: {failures} of {expected.Length} elements differ (rtol {rtol:G3}, atol {atol:G3}); worst at "
                + $"{Index(worst, shape)}: expected {R(expected[worst])}, got {R(actual[worst])}, |diff| {diff:G3}");
        }
    }

    /// <summary><see cref="AssertClose(double[], double[], long[], double, double, string)"/> for two tensors of the same shape.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, double rtol, double atol, string what = "tensor")
    {
        Assert.Equal(expected.shape, actual.shape);
        AssertClose(Doubles(expected), Doubles(actual), expected.shape, rtol, atol, what);
    }

    /// <summary>
    /// Central differences (f(x + ε) − f(x − ε)) / 2ε of a scalar <paramref name="loss"/> with respect to every
    /// element of the contiguous float64 tensor <paramref name="x"/>, perturbed in place through its span.
    /// </summary>
    public static double[] NumericalGradient(Func<Tensor> loss, Tensor x, double eps = 1e-6)
    {
        using var noGrad = torch.no_grad();
        var result = new double[x.numel()];
        for (var i = 0; i < result.Length; i++)
        {
            var original = x.GetSpan<double>()[i];
            x.GetSpan<double>()[i] = original + eps;
            var plus = Evaluate(loss);
            x.GetSpan<double>()[i] = original - eps;
            var minus = Evaluate(loss);
            x.GetSpan<double>()[i] = original;
            result[i] = (plus - minus) / (2 * eps);
        }
        return result;
    }

    /// <summary>
    /// Runs <c>loss().backward()</c> once and checks each input's <c>.grad</c> against central differences.
    /// The inputs must be float64 leaves with requires_grad.
    /// </summary>
    public static void AssertGradientsMatchFiniteDifferences(Func<Tensor> loss, params (string Name, Tensor Value)[] inputs)
    {
        foreach (var (_, x) in inputs)
        {
            x.grad = null;
        }
        using (torch.NewDisposeScope())
        {
            loss().backward();
        }
        foreach (var (name, x) in inputs)
        {
            using var grad = x.grad;
            Assert.True(grad is not null, $"{name} has no gradient after backward()");
            AssertClose(NumericalGradient(loss, x), grad.data<double>(), x.shape, GradRtol, GradAtol, $"d loss / d {name}");
        }
    }

    // Central differences in float64 with ε = 1e-6 are accurate to about 1e-9 for these O(1) losses.
    public const double GradRtol = 1e-5;
    public const double GradAtol = 1e-7;

    private static double Evaluate(Func<Tensor> loss)
    {
        using var scope = torch.NewDisposeScope();
        return loss().item<double>();
    }

    private static string Index(long flat, long[] shape)
    {
        var index = new long[shape.Length];
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return $"[{string.Join(", ", index)}]";
    }

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
