using MlNetRobust.Data;

namespace MlNetRobust.Transforms.Sampling;

/// <summary>
/// The rows of a view grouped by class (positions in the view, ascending), read once from its key column.
/// Splits and samplers share it, so a label column is validated and read the same way everywhere.
/// </summary>
public sealed class ClassIndex
{
    private ClassIndex(IReadOnlyList<string> classNames, int[] labels, long[][] rowsByClass) =>
        (ClassNames, Labels, RowsByClass) = (classNames, labels, rowsByClass);

    /// <summary>Class names in key order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The label of every row, by position.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>For each class, its rows' positions in ascending order (empty for a class with no rows).</summary>
    public IReadOnlyList<long[]> RowsByClass { get; }

    public long RowCount => Labels.Count;

    /// <summary>Reads the key column of <paramref name="view"/> (batch by batch) and groups rows by class.</summary>
    public static ClassIndex FromView(IDataView view, string labelColumn = DefaultColumnNames.Label, string component = "ClassIndex")
    {
        var keyType = view.Schema.Require<KeyType>(labelColumn, component, "a key (label) column");
        return FromLabels(view.ReadKeys(labelColumn), keyType.Names);
    }

    /// <summary>Groups rows by the given labels (each in 0..classNames.Count-1).</summary>
    public static ClassIndex FromLabels(int[] labels, IReadOnlyList<string> classNames)
    {
        var lists = classNames.Select(_ => new List<long>()).ToArray();
        for (var row = 0; row < labels.Length; row++)
        {
            var label = labels[row];
            if (label < 0 || label >= lists.Length)
            {
                throw new ArgumentException($"row {row} has label {label}, outside 0..{lists.Length - 1} ({lists.Length} classes)", nameof(labels));
            }
            lists[label].Add(row);
        }
        return new ClassIndex(classNames, labels, lists.Select(l => l.ToArray()).ToArray());
    }
}
