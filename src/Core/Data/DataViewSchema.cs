using System.Collections;

namespace MlNetRobust.Data;

/// <summary>The ordered, named, typed columns of a data view.</summary>
public sealed class DataViewSchema : IReadOnlyList<DataViewSchema.Column>
{
    private readonly List<Column> _columns;

    public DataViewSchema(IEnumerable<(string Name, ColumnType Type)> columns)
    {
        _columns = columns.Select((c, i) => new Column(c.Name, i, c.Type)).ToList();
        var duplicate = _columns.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"duplicate column '{duplicate.Key}' in schema");
        }
    }

    public sealed record Column(string Name, int Index, ColumnType Type)
    {
        public override string ToString() => $"{Name}: {Type}";
    }

    public int Count => _columns.Count;

    public Column this[int index] => _columns[index];

    public Column this[string name] => TryGet(name, out var c) ? c : throw new SchemaException($"no column '{name}' (schema: {this})");

    public bool TryGet(string name, out Column column)
    {
        column = _columns.FirstOrDefault(c => c.Name == name)!;
        return column is not null;
    }

    public bool Contains(string name) => TryGet(name, out _);

    /// <summary>
    /// The named column if it has the wanted type; otherwise a <see cref="SchemaException"/> naming the
    /// component, the column, what was expected and what was found (ML.NET's GetOutputSchema checks).
    /// </summary>
    public T Require<T>(string name, string component, string expected) where T : ColumnType
    {
        if (!TryGet(name, out var column))
        {
            throw new SchemaException($"{component}: input column '{name}' not found; expected {expected}. Available: {this}");
        }
        return column.Type as T
            ?? throw new SchemaException($"{component}: column '{name}' is {column.Type}, expected {expected}");
    }

    /// <summary>A copy with a column added or (same name) replaced, keeping positions.</summary>
    public DataViewSchema With(string name, ColumnType type)
    {
        var list = _columns.Select(c => (c.Name, c.Type)).ToList();
        var i = list.FindIndex(c => c.Name == name);
        if (i >= 0)
        {
            list[i] = (name, type);
        }
        else
        {
            list.Add((name, type));
        }
        return new DataViewSchema(list);
    }

    public DataViewSchema Without(string name) => new(_columns.Where(c => c.Name != name).Select(c => (c.Name, c.Type)));

    public IEnumerator<Column> GetEnumerator() => _columns.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "{" + string.Join(", ", _columns) + "}";
}

/// <summary>A pipeline step was given data whose columns do not fit it; the message names column and types.</summary>
public sealed class SchemaException(string message) : InvalidOperationException(message);
