using MlNetRobust.Torch;

namespace MlNetRobust.Data;

/// <summary>
/// A view over columns already in memory (arrays, or one tensor per column with rows along dimension 0).
/// Owns its tensors. Used for small data, tests, and materialised results such as embeddings.
/// </summary>
public sealed class InMemoryDataView : IDataView, IDisposable
{
    private readonly Dictionary<string, object> _columns;

    public InMemoryDataView(DataViewSchema schema, Dictionary<string, object> columns)
    {
        Schema = schema;
        _columns = columns;
        var lengths = schema.Select(c => columns.TryGetValue(c.Name, out var v)
            ? Length(v)
            : throw new ArgumentException($"no values for column '{c.Name}'", nameof(columns))).Distinct().ToList();
        if (lengths.Count > 1)
        {
            throw new ArgumentException($"columns have different row counts: {string.Join(", ", schema.Select(c => $"{c.Name}={Length(columns[c.Name])}"))}", nameof(columns));
        }
        RowCount = lengths.Count == 0 ? 0 : lengths[0];
        foreach (var t in columns.Values.OfType<Tensor>())
        {
            t.DetachFromDisposeScope();
        }
    }

    private static long Length(object? column) => column switch
    {
        null => 0,
        Tensor t => t.size(0),
        Array a => a.Length,
        _ => throw new ArgumentException($"unsupported column storage {column.GetType().Name}"),
    };

    public DataViewSchema Schema { get; }

    public long RowCount { get; }

    public DataBatch GetRows(IReadOnlyList<long> rowIds)
    {
        var ids = rowIds.ToArray();
        foreach (var id in ids)
        {
            if (id < 0 || id >= RowCount)
            {
                throw new ArgumentOutOfRangeException(nameof(rowIds), id, $"row id outside 0..{RowCount - 1}");
            }
        }
        var values = new Dictionary<string, object>();
        foreach (var column in Schema)
        {
            values[column.Name] = _columns[column.Name] switch
            {
                Tensor t => Select(t, ids),
                Array a => SelectArray(a, ids),
                var other => throw new InvalidOperationException($"unsupported column storage {other.GetType().Name}"),
            };
        }
        return new DataBatch(Schema, ids, values);
    }

    private static Tensor Select(Tensor t, long[] ids)
    {
        using var index = torch.tensor(ids);
        return t.index_select(0, index);
    }

    private static Array SelectArray(Array source, long[] ids)
    {
        var result = Array.CreateInstance(source.GetType().GetElementType()!, ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            result.SetValue(source.GetValue(ids[i]), i);
        }
        return result;
    }

    public void Dispose()
    {
        foreach (var v in _columns.Values)
        {
            (v as Tensor)?.Dispose();
        }
    }
}
