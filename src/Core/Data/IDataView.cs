namespace MlNetRobust.Data;

/// <summary>
/// A lazy, columnar table with a schema (ML.NET's IDataView, batch-shaped). Nothing is materialised until
/// rows are asked for: a folder of images is decoded batch by batch, a transform is applied to each batch
/// as it passes. Random access by row id lets samplers shuffle and balance without copying the data.
/// </summary>
public interface IDataView
{
    DataViewSchema Schema { get; }

    long RowCount { get; }

    /// <summary>The given rows (ids in 0..RowCount-1), in the given order, as one batch. The caller disposes it.</summary>
    DataBatch GetRows(IReadOnlyList<long> rowIds);

    /// <summary>
    /// Only the named columns of the given rows. Views override this to skip work the caller does not need
    /// (an image loader reading labels decodes nothing); the default computes every column and drops the rest.
    /// </summary>
    DataBatch GetColumns(IReadOnlyList<long> rowIds, IReadOnlyCollection<string> columns) => GetRows(rowIds).Select(columns);
}

/// <summary>Streaming and inspection helpers over any view.</summary>
public static class DataViewExtensions
{
    /// <summary>Streams the view in batches, in row order or in the given order.</summary>
    public static IEnumerable<DataBatch> GetBatches(this IDataView view, int batchSize, IReadOnlyList<long>? order = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var count = order?.Count ?? view.RowCount;
        for (long start = 0; start < count; start += batchSize)
        {
            var n = (int)Math.Min(batchSize, count - start);
            var ids = new long[n];
            for (var i = 0; i < n; i++)
            {
                ids[i] = order is null ? start + i : order[(int)(start + i)];
            }
            yield return view.GetRows(ids);
        }
    }

    /// <summary>The first rows as readable text, for debugging (ML.NET's Preview).</summary>
    public static DataPreview Preview(this IDataView view, int maxRows = 10)
    {
        var n = (int)Math.Min(maxRows, view.RowCount);
        using var batch = view.GetRows(Enumerable.Range(0, n).Select(i => (long)i).ToArray());
        return DataPreview.From(batch);
    }

    /// <summary>All values of one key (label) column, read in batches.</summary>
    public static int[] ReadKeys(this IDataView view, string column = DefaultColumnNames.Label, int batchSize = 4096)
    {
        view.Schema.Require<KeyType>(column, "ReadKeys", "a key (label) column");
        var result = new List<int>((int)view.RowCount);
        for (long start = 0; start < view.RowCount; start += batchSize)
        {
            var ids = new long[Math.Min(batchSize, view.RowCount - start)];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = start + i;
            }
            using var batch = view.GetColumns(ids, [column]);
            result.AddRange(batch.GetKeys(column));
        }
        return result.ToArray();
    }
}
