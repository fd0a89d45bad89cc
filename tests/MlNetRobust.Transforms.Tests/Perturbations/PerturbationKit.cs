using MlNetRobust.Data;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Tests.Perturbations;

/// <summary>Small helpers for the perturbation tests: images, row ids, views and comparisons.</summary>
internal static class PerturbationKit
{
    /// <summary>Uniform random images [n, c, h, w] in [0, 1].</summary>
    public static Tensor Random(int n, int h = 32, int w = 32, ulong seed = 1, int c = 3)
    {
        using var g = new Generator(seed);
        return torch.rand([n, c, h, w], g);
    }

    /// <summary>n copies of one image filled with <paramref name="value"/>.</summary>
    public static Tensor Constant(int n, double value, int h = 32, int w = 32) => torch.full([n, 3, h, w], value);

    /// <summary>One image [1, 3, 4, 4] whose 48 values are distinct: (c·16 + y·4 + x + 1) / 64.</summary>
    public static Tensor Distinct4x4()
    {
        var v = new float[48];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (i + 1) / 64f;
        }
        return torch.tensor(v, 1, 3, 4, 4);
    }

    /// <summary>A base64 32×32 RGB image (height × width × channel bytes) as [1, 3, 32, 32] in [0, 1].</summary>
    public static Tensor FromPillow(string base64)
    {
        using var scope = torch.NewDisposeScope();
        var bytes = torch.tensor(Convert.FromBase64String(base64), 1, 32, 32, 3);
        return bytes.permute(0, 3, 1, 2).to(ScalarType.Float32).div(255.0).MoveToOuterDisposeScope();
    }

    public static long[] Ids(int n, long first = 0) => Enumerable.Range(0, n).Select(i => first + i).ToArray();

    /// <summary>A view with one column "Features" of float32 images [3, H, W] (it owns a copy of the images).</summary>
    public static InMemoryDataView View(Tensor images) =>
        new(new DataViewSchema([(DefaultColumnNames.Features, new TensorType(ScalarType.Float32, images.shape[1..]))]),
            new Dictionary<string, object> { [DefaultColumnNames.Features] = images.clone() });

    /// <summary>All rows of the view's Features column, in order.</summary>
    public static Tensor ReadAll(IDataView view)
    {
        using var batch = view.GetRows(Ids((int)view.RowCount));
        return batch.GetTensor(DefaultColumnNames.Features).clone();
    }

    public static float[] Values(Tensor t)
    {
        using var c = t.contiguous();
        using var f = c.to(ScalarType.Float32);
        return f.data<float>();
    }

    public static double MaxAbsDiff(Tensor a, Tensor b)
    {
        using var d = a.sub(b);
        using var abs = d.abs();
        using var max = abs.max();
        return max.item<double>();
    }

    public static double MeanAbsDiff(Tensor a, Tensor b)
    {
        using var d = a.sub(b);
        using var abs = d.abs();
        using var mean = abs.mean();
        return mean.item<double>();
    }

    /// <summary>Whether row i of a differs anywhere from row i of b.</summary>
    public static bool[] RowsChanged(Tensor a, Tensor b)
    {
        using var ne = a.ne(b);
        using var flat = ne.flatten(1);
        using var any = flat.to(ScalarType.Float32).sum(1);
        return Values(any).Select(v => v > 0).ToArray();
    }

    public static double Item(Tensor t)
    {
        using (t)
        {
            return t.item<double>();
        }
    }
}
