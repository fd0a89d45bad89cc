using MlNetRobust.Data;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Tests.Splits;

/// <summary>Views with only labels (and each row's position as a float feature), for split and sampler tests.</summary>
internal static class LabelledRows
{
    /// <summary>counts[c] rows of class c, classes interleaved round-robin so no class sits in one block.</summary>
    public static InMemoryDataView Create(int[] counts, string[]? names = null)
    {
        var labels = new List<int>();
        var left = (int[])counts.Clone();
        while (left.Any(n => n > 0))
        {
            for (var c = 0; c < left.Length; c++)
            {
                if (left[c] > 0)
                {
                    labels.Add(c);
                    left[c]--;
                }
            }
        }
        return FromLabels(labels.ToArray(), names ?? counts.Select((_, c) => $"class{c}").ToArray());
    }

    public static InMemoryDataView FromLabels(int[] labels, string[] names)
    {
        var schema = new DataViewSchema([
            (DefaultColumnNames.Label, new KeyType(names)),
            (DefaultColumnNames.Features, new TensorType(ScalarType.Float32, [1])),
        ]);
        return new InMemoryDataView(schema, new Dictionary<string, object>
        {
            [DefaultColumnNames.Label] = labels,
            [DefaultColumnNames.Features] = torch.tensor(labels.Select((_, i) => (float)i).ToArray(), labels.Length, 1),
        });
    }

    /// <summary>Labels of the given rows of a view, by class.</summary>
    public static int[] CountPerClass(IDataView view, int classes)
    {
        var counts = new int[classes];
        foreach (var label in view.ReadKeys())
        {
            counts[label]++;
        }
        return counts;
    }
}
