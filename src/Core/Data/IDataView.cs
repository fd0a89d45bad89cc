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
        foreach (var batch in view.GetBatches(batchSize))
        {
            using (batch)
            {
                result.AddRange(batch.GetKeys(column));
            }
        }
        return result.ToArray();
    }
}
