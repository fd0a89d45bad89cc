using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Tests.Attacks;

internal static class AttackTestData
{
    /// <summary>Images [n, 3, 4, 4] uniform in [0, 1] with some pixels at the borders, and labels in 0..classes-1.</summary>
    public static (Tensor Images, Tensor Labels) Batch(int n, int classes, ulong seed)
    {
        using var gen = new Generator(seed);
        using var scope = torch.NewDisposeScope();
        var images = torch.rand([n, 3, 4, 4], gen);
        // Pixels at 0 and 1 exercise the clamp to valid images.
        images = images.mul(1.2).sub(0.1).clamp(0.0, 1.0);
        var labels = torch.randint(0, classes, [n], gen);
        return (images.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    public static double MaxAbs(Tensor t)
    {
        using var a = t.abs();
        using var m = a.max();
        using var d = m.to(ScalarType.Float64);
        return d.item<double>();
    }

    /// <summary>Each image's L2 norm.</summary>
    public static double[] L2(Tensor t)
    {
        using var flat = t.flatten(1);
        using var norms = flat.norm(2, 1);
        using var d = norms.to(ScalarType.Float64);
        return d.data<double>();
    }
}
