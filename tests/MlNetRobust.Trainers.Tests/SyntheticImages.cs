using MlNetRobust.Data;
using MlNetRobust.Torch;

namespace MlNetRobust.Trainers.Tests;

/// <summary>
/// A separable synthetic image set: each class has its own mean colour plus a class-specific stripe pattern,
/// with per-image noise. Small (8×8) so a narrow ResNet trains on it in seconds.
/// </summary>
public static class SyntheticImages
{
    public static readonly string[] Classes = ["red", "green", "blue", "grey"];

    public static InMemoryDataView Create(int perClass, int seed, int size = 8, float noise = 0.15f)
    {
        var n = perClass * Classes.Length;
        using var gen = new Generator((ulong)seed);
        using var scope = torch.NewDisposeScope();
        var labels = Enumerable.Range(0, n).Select(i => i % Classes.Length).ToArray();
        var colours = torch.tensor(new float[]
        {
            0.8f, 0.2f, 0.2f,
            0.2f, 0.8f, 0.2f,
            0.2f, 0.2f, 0.8f,
            0.5f, 0.5f, 0.5f,
        }, 4, 3, 1, 1);
        using var index = torch.tensor(labels.Select(l => (long)l).ToArray());
        var mean = colours.index_select(0, index).expand(n, 3, size, size);
        // Stripes: class k lights every (k+2)-th row, so shape as well as colour separates the classes.
        var stripes = torch.zeros([n, 1, size, size]);
        for (var i = 0; i < n; i++)
        {
            for (var row = 0; row < size; row += labels[i] + 2)
            {
                using var line = stripes[i].select(1, row);
                line.fill_(0.2f);
            }
        }
        var images = mean.add(stripes).add(torch.randn([n, 3, size, size], gen).mul(noise)).clamp(0, 1);
        var schema = new DataViewSchema([
            (DefaultColumnNames.Label, new KeyType(Classes)),
            (DefaultColumnNames.Features, new TensorType(ScalarType.Float32, [3, size, size])),
        ]);
        return new InMemoryDataView(schema, new Dictionary<string, object>
        {
            [DefaultColumnNames.Label] = labels,
            [DefaultColumnNames.Features] = images.DetachFromDisposeScope(),
        });
    }
}
