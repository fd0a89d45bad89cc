namespace MlNetRobust.Data;

/// <summary>Selected rows of another view, in a given order (a split, a sample). Nothing is copied.</summary>
public sealed class SubsetDataView : IDataView
{
    private readonly IDataView _source;
    private readonly long[] _rows;

    public SubsetDataView(IDataView source, IReadOnlyList<long> rows)
    {
        _source = source;
        _rows = rows.ToArray();
        foreach (var r in _rows)
        {
            if (r < 0 || r >= source.RowCount)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), r, $"row outside the source's 0..{source.RowCount - 1}");
            }
        }
    }

    /// <summary>Which source rows this view holds, in order.</summary>
    public IReadOnlyList<long> SourceRows => _rows;

    public DataViewSchema Schema => _source.Schema;

    public long RowCount => _rows.Length;

    public DataBatch GetRows(IReadOnlyList<long> rowIds) => _source.GetRows(Map(rowIds));

    public DataBatch GetColumns(IReadOnlyList<long> rowIds, IReadOnlyCollection<string> columns) => _source.GetColumns(Map(rowIds), columns);

    private long[] Map(IReadOnlyList<long> rowIds)
    {
        var mapped = new long[rowIds.Count];
        for (var i = 0; i < mapped.Length; i++)
        {
            var id = rowIds[i];
            if (id < 0 || id >= _rows.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(rowIds), id, $"row id outside 0..{_rows.Length - 1}");
            }
            mapped[i] = _rows[id];
        }
        // Keep the source's row ids: per-row randomness then follows the image, not its place in the split.
        return mapped;
    }
}
