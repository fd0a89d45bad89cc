using MlNetRobust.Data;
using MlNetRobust.Torch;

namespace MlNetRobust.Core.Tests;

public sealed class DataViewTests
{
    [Fact]
    public void Rows_come_back_in_the_order_asked_with_their_ids()
    {
        using var view = TestData.Small();
        using var batch = view.GetRows([4, 1]);
        Assert.Equal([4L, 1L], batch.RowIds);
        Assert.Equal(["img4.png", "img1.png"], batch.GetText(DefaultColumnNames.ImagePath));
        Assert.Equal([1, 1], batch.GetKeys(DefaultColumnNames.Label));
        Assert.Equal(["dog", "dog"], batch.GetKeyNames(DefaultColumnNames.Label));
        var notKeys = Assert.Throws<SchemaException>(() => batch.GetKeyNames(DefaultColumnNames.ImagePath));
        Assert.Equal($"column '{DefaultColumnNames.ImagePath}' is Text, not a key column with class names", notKeys.Message);
        Assert.Equal([4f, 40f, 1f, 10f], batch.GetTensor(DefaultColumnNames.Features).data<float>());
    }

    [Fact]
    public void Batches_cover_every_row_once_and_the_last_one_is_short()
    {
        using var view = TestData.Small();
        var seen = new List<long>();
        var sizes = new List<int>();
        foreach (var batch in view.GetBatches(4))
        {
            using (batch)
            {
                seen.AddRange(batch.RowIds);
                sizes.Add(batch.Count);
            }
        }
        Assert.Equal([0L, 1, 2, 3, 4, 5], seen);
        Assert.Equal([4, 2], sizes);
    }

    [Fact]
    public void Subset_keeps_source_row_ids_and_rejects_rows_outside_the_source()
    {
        using var view = TestData.Small();
        var subset = new SubsetDataView(view, [5, 2, 0]);
        Assert.Equal(3, subset.RowCount);
        using var batch = subset.GetRows([1, 2]);
        Assert.Equal([2L, 0L], batch.RowIds);
        Assert.Equal([2, 0], subset.ReadKeys().Skip(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SubsetDataView(view, [6]));
        Assert.Throws<ArgumentOutOfRangeException>(() => subset.GetRows([3]));
    }

    [Fact]
    public void Schema_errors_name_the_component_the_column_and_both_types()
    {
        using var view = TestData.Small();
        var e = Assert.Throws<SchemaException>(() => view.Schema.Require<TensorType>(DefaultColumnNames.Label, "ExtractPixels", "a float tensor column"));
        Assert.Equal("ExtractPixels: column 'Label' is Key<3 classes>, expected a float tensor column", e.Message);
        var missing = Assert.Throws<SchemaException>(() => view.Schema.Require<ImageType>("Image", "ConvertToRgb", "an image column"));
        Assert.Contains("input column 'Image' not found; expected an image column", missing.Message);
        Assert.Contains("ImagePath: Text", missing.Message);
    }

    [Fact]
    public void Columns_of_different_lengths_are_refused()
    {
        var schema = new DataViewSchema([("A", TextType.Instance), ("B", TextType.Instance)]);
        var e = Assert.Throws<ArgumentException>(() => new InMemoryDataView(schema, new Dictionary<string, object> { ["A"] = new[] { "x" }, ["B"] = new[] { "y", "z" } }));
        Assert.Contains("A=1, B=2", e.Message);
    }

    [Fact]
    public void Preview_shows_names_for_labels_and_shapes_for_tensors()
    {
        using var view = TestData.Small();
        var preview = view.Preview(2);
        Assert.Equal(2, preview.Rows.Count);
        Assert.Equal(["img1.png", "1 (dog)", "[2] 1, 10"], preview.Rows[1]);
        Assert.StartsWith("ImagePath | Label | Features", preview.ToString());
    }

    [Fact]
    public void Duplicate_columns_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new DataViewSchema([("A", TextType.Instance), ("A", new TensorType(ScalarType.Float32, [1]))]));
        Assert.Contains("duplicate column 'A'", e.Message);
    }
}

public sealed class ColumnProjectionTests
{
    /// <summary>A view that counts how often its expensive column is computed.</summary>
    private sealed class CountingView : IDataView
    {
        public int ExpensiveReads { get; private set; }

        public DataViewSchema Schema { get; } = new([("Label", new KeyType(["a", "b"])), ("Expensive", TextType.Instance)]);

        public long RowCount => 4;

        public DataBatch GetRows(IReadOnlyList<long> rowIds)
        {
            ExpensiveReads++;
            return new DataBatch(Schema, rowIds.ToArray(), new Dictionary<string, object>
            {
                ["Label"] = rowIds.Select(i => (int)(i % 2)).ToArray(),
                ["Expensive"] = rowIds.Select(i => $"decoded {i}").ToArray(),
            });
        }

        public DataBatch GetColumns(IReadOnlyList<long> rowIds, IReadOnlyCollection<string> columns) =>
            columns.Contains("Expensive") ? GetRows(rowIds).Select(columns)
                : new DataBatch(new DataViewSchema([("Label", Schema["Label"].Type)]), rowIds.ToArray(), new Dictionary<string, object> { ["Label"] = rowIds.Select(i => (int)(i % 2)).ToArray() });
    }

    [Fact]
    public void Reading_labels_through_a_subset_does_not_compute_other_columns()
    {
        var view = new CountingView();
        var subset = new SubsetDataView(view, [3, 0, 1]);
        Assert.Equal([1, 0, 1], subset.ReadKeys());
        Assert.Equal(0, view.ExpensiveReads);
    }

    [Fact]
    public void Select_keeps_only_the_named_columns_in_schema_order()
    {
        using var data = TestData.Small();
        IDataView view = data;
        using var batch = view.GetColumns([1, 2], [DefaultColumnNames.Features, DefaultColumnNames.Label]);
        Assert.Equal([DefaultColumnNames.Label, DefaultColumnNames.Features], batch.Schema.Select(c => c.Name));
        Assert.Throws<SchemaException>(() => view.GetColumns([0], ["Nope"]));
    }
}
