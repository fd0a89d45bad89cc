using MlNetRobust.Torch;

namespace MlNetRobust.Data;

/// <summary>
/// A slice of rows, column by column: the unit every transform works on (no per-row loops on the hot path).
/// <see cref="RowIds"/> are the rows' positions in the source view; transforms derive per-row randomness
/// from them, so a row is perturbed the same way whatever batch it lands in. A batch owns its tensors.
/// </summary>
public sealed class DataBatch : IDisposable
{
    private readonly Dictionary<string, object> _values;

    public DataBatch(DataViewSchema schema, long[] rowIds, Dictionary<string, object> values)
    {
        Schema = schema;
        RowIds = rowIds;
        _values = values;
        foreach (var column in schema)
        {
            if (!values.TryGetValue(column.Name, out var v))
            {
                throw new ArgumentException($"batch lacks a value for column '{column.Name}'");
            }
            var length = v switch
            {
                Tensor t => t.size(0),
                Array a => a.Length,
                _ => throw new ArgumentException($"column '{column.Name}' holds a {v.GetType().Name}; expected an array or a tensor"),
            };
            if (length != rowIds.Length)
            {
                throw new ArgumentException($"column '{column.Name}' has {length} rows but the batch has {rowIds.Length}");
            }
        }
    }

    public DataViewSchema Schema { get; }

    public long[] RowIds { get; }

    public int Count => RowIds.Length;

    public object this[string column] => _values.TryGetValue(column, out var v) ? v : throw new SchemaException($"batch has no column '{column}' (schema: {Schema})");

    public Tensor GetTensor(string column) => this[column] as Tensor ?? throw Wrong(column, "a tensor");

    public string[] GetText(string column) => this[column] as string[] ?? throw Wrong(column, "text");

    public int[] GetKeys(string column) => this[column] as int[] ?? throw Wrong(column, "keys (int[])");

    /// <summary>A key column's values as their names (ML.NET's MapKeyToValue): "cat" rather than 3.</summary>
    public string[] GetKeyNames(string column)
    {
        var names = (Schema[column].Type as KeyType ?? throw Wrong(column, "a key column with class names")).Names;
        return GetKeys(column).Select(k => k >= 0 && k < names.Count ? names[k] : throw new SchemaException($"column '{column}' holds key {k}, outside its {names.Count} names")).ToArray();
    }

    public RawImage[] GetImages(string column) => this[column] as RawImage[] ?? throw Wrong(column, "images");

    /// <summary>Labels as an int64 tensor, as losses want them.</summary>
    public Tensor GetKeysAsTensor(string column) => torch.tensor(GetKeys(column).Select(k => (long)k).ToArray());

    private SchemaException Wrong(string column, string what) => new($"column '{column}' is {Schema[column].Type}, not {what}");

    /// <summary>A new batch with one column added or replaced; the other values are shared (this batch is consumed).</summary>
    public DataBatch With(string column, ColumnType type, object value)
    {
        var values = new Dictionary<string, object>(_values);
        if (values.TryGetValue(column, out var old) && old is Tensor t && !ReferenceEquals(t, value))
        {
            t.Dispose();
        }
        values[column] = value;
        _values.Clear();
        return new DataBatch(Schema.With(column, type), RowIds, values);
    }

    /// <summary>A batch with only the named columns (in schema order); the others are disposed. Consumes this batch.</summary>
    public DataBatch Select(IReadOnlyCollection<string> columns)
    {
        foreach (var name in columns)
        {
            if (!Schema.Contains(name))
            {
                throw new SchemaException($"batch has no column '{name}' (schema: {Schema})");
            }
        }
        var keep = Schema.Where(c => columns.Contains(c.Name)).ToList();
        var values = keep.ToDictionary(c => c.Name, c => _values[c.Name]);
        foreach (var (name, value) in _values)
        {
            if (!values.ContainsKey(name))
            {
                (value as Tensor)?.Dispose();
            }
        }
        _values.Clear();
        return new DataBatch(new DataViewSchema(keep.Select(c => (c.Name, c.Type))), RowIds, values);
    }

    public void Dispose()
    {
        foreach (var v in _values.Values)
        {
            (v as Tensor)?.Dispose();
        }
        _values.Clear();
    }
}
