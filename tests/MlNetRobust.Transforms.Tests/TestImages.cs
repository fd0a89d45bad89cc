using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Tests;

/// <summary>Small generated images for unit tests.</summary>
public static class TestImages
{
    /// <summary>A float batch [n, 3, h, w] in [0, 1] whose pixel (c, y, x) of image i is distinct and known.</summary>
    public static Tensor Gradient(int n, int h, int w)
    {
        var values = new float[n * 3 * h * w];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (i % 251) / 250f;
        }
        return torch.tensor(values, n, 3, h, w);
    }
}
