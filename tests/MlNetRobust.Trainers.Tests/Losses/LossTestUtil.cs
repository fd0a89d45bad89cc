using System.Globalization;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Losses;

namespace MlNetRobust.Trainers.Tests.Losses;

/// <summary>Tiny inputs, closeness checks and central differences for the loss tests.</summary>
internal static class LossTestUtil
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>6 embeddings of dimension 4, not normalised (the losses normalise), from a fixed seed.</summary>
    public static double[,] SmallEmbeddings(ulong seed = 7, int n = 6, int d = 4)
    {
        var random = new Random((int)seed);
        var x = new double[n, d];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                x[i, j] = Math.Round(random.NextDouble() * 4 - 2, 3);
            }
        }
        return x;
    }

    public static readonly long[] ThreeClasses = [0, 1, 2, 0, 1, 2];

    public static readonly long[] Uneven = [0, 0, 0, 1, 2, 2];

    public static Tensor Tensor(double[,] x) => torch.tensor(x);

    public static Tensor Labels(long[] labels) => torch.tensor(labels);

    public static double Value(IMetricLoss loss, Tensor x, Tensor labels)
    {
        using var scope = torch.NewDisposeScope();
        return loss.Compute(x, labels).item<double>();
    }

    /// <summary>Autograd's d loss / d x (x is a float64 leaf).</summary>
    public static double[] Gradient(IMetricLoss loss, Tensor x, Tensor labels)
    {
        using var scope = torch.NewDisposeScope();
        var leaf = x.detach().requires_grad_();
        var grad = torch.autograd.grad([loss.Compute(leaf, labels)], [leaf])[0]!;
        return grad.data<double>();
    }

    /// <summary>Central differences of <paramref name="f"/> at <paramref name="x"/>, one element at a time.</summary>
    public static double[] NumericalGradient(Func<double[,], double> f, double[,] x, double eps = 1e-6)
    {
        var copy = (double[,])x.Clone();
        var (n, d) = (x.GetLength(0), x.GetLength(1));
        var result = new double[n * d];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                var original = copy[i, j];
                copy[i, j] = original + eps;
                var plus = f(copy);
                copy[i, j] = original - eps;
                var minus = f(copy);
                copy[i, j] = original;
                result[i * d + j] = (plus - minus) / (2 * eps);
            }
        }
        return result;
    }

    /// <summary>|actual − expected| ≤ atol + rtol·|expected| everywhere; the message names the worst element.</summary>
    public static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double rtol, double atol, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: expected {expected.Count} values, got {actual.Count}");
        var (worst, worstRatio) = (-1, 1.0);
        for (var i = 0; i < expected.Count; i++)
        {
            var ratio = Math.Abs(actual[i] - expected[i]) / (atol + rtol * Math.Abs(expected[i]));
            if (double.IsNaN(actual[i]) || ratio > worstRatio)
            {
                (worst, worstRatio) = (i, double.IsNaN(ratio) ? double.PositiveInfinity : ratio);
            }
        }
        if (worst >= 0)
        {
            Assert.Fail($"{what}: element {worst} expected {R(expected[worst])}, got {R(actual[worst])} (rtol {rtol:G3}, atol {atol:G3})");
        }
    }

    public static void AssertClose(double expected, double actual, double rtol, double atol, string what) =>
        AssertClose([expected], [actual], rtol, atol, what);

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
