using MlNetRobust.Data;

namespace MlNetRobust.Transforms.Tests.Splits;

public sealed class StratifiedSplitTests
{
    // 1,000 rows over 10 classes with uneven counts.
    private static readonly int[] s_counts = [250, 180, 150, 120, 100, 80, 60, 35, 17, 8];

    [Fact]
    public void Each_class_gets_round_fraction_times_its_count_in_train()
    {
        using var data = LabelledRows.Create(s_counts);
        var split = new RobustContext(seed: 1).Data.StratifiedSplit(data, trainFraction: 0.2);

        // 250·0.2 = 50 … 17·0.2 = 3.4 → 3, 8·0.2 = 1.6 → 2
        int[] expectedTrain = [50, 36, 30, 24, 20, 16, 12, 7, 3, 2];
        Assert.Equal(expectedTrain, LabelledRows.CountPerClass(split.Train, 10));
        Assert.Equal(s_counts.Zip(expectedTrain, (n, t) => n - t).ToArray(), LabelledRows.CountPerClass(split.Test, 10));
        Assert.Equal(200, split.Train.RowCount);
        Assert.Equal(800, split.Test.RowCount);
    }

    [Fact]
    public void Halves_round_away_from_zero()
    {
        using var data = LabelledRows.Create([5, 3, 7]);
        var split = new RobustContext(seed: 1).Data.StratifiedSplit(data, trainFraction: 0.5);
        Assert.Equal([3, 2, 4], LabelledRows.CountPerClass(split.Train, 3));
    }

    [Fact]
    public void A_class_with_one_row_goes_to_train_and_a_class_with_two_rows_is_on_both_sides()
    {
        using var data = LabelledRows.Create([40, 1, 2, 0]);
        var split = new RobustContext(seed: 3).Data.StratifiedSplit(data, trainFraction: 0.2);
        Assert.Equal([8, 1, 1, 0], LabelledRows.CountPerClass(split.Train, 4));
        Assert.Equal([32, 0, 1, 0], LabelledRows.CountPerClass(split.Test, 4));

        // A large fraction still leaves one row of every class with ≥ 2 rows for testing.
        var mostly = new RobustContext(seed: 3).Data.StratifiedSplit(data, trainFraction: 0.99);
        Assert.Equal([39, 1, 1, 0], LabelledRows.CountPerClass(mostly.Train, 4));
    }

    [Fact]
    public void Train_and_test_are_disjoint_and_cover_every_row_in_ascending_order()
    {
        using var data = LabelledRows.Create(s_counts);
        var split = new RobustContext(seed: 5).Data.StratifiedSplit(data);
        Assert.Empty(split.Train.SourceRows.Intersect(split.Test.SourceRows));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), split.Train.SourceRows.Concat(split.Test.SourceRows).Order());
        Assert.Equal(split.Train.SourceRows.Order(), split.Train.SourceRows);
        Assert.Equal(split.Test.SourceRows.Order(), split.Test.SourceRows);

        // The sides read the source's rows (the feature holds each row's position).
        using var batch = split.Test.GetRows([0, 1]);
        Assert.Equal(split.Test.SourceRows.Take(2).Select(r => (float)r), batch.GetTensor(DefaultColumnNames.Features).data<float>());
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_a_different_one()
    {
        using var data = LabelledRows.Create(s_counts);
        var ctx = new RobustContext(seed: 0);
        var a = ctx.Data.StratifiedSplit(data, seed: 42);
        var b = ctx.Data.StratifiedSplit(data, seed: 42);
        var c = ctx.Data.StratifiedSplit(data, seed: 43);
        Assert.Equal(a.Train.SourceRows, b.Train.SourceRows);
        Assert.NotEqual(a.Train.SourceRows, c.Train.SourceRows);
        Assert.Equal(LabelledRows.CountPerClass(a.Train, 10), LabelledRows.CountPerClass(c.Train, 10));
    }

    [Fact]
    public void Without_a_seed_the_context_seed_decides()
    {
        using var data = LabelledRows.Create(s_counts);
        var a = new RobustContext(seed: 7).Data.StratifiedSplit(data);
        var b = new RobustContext(seed: 7).Data.StratifiedSplit(data);
        var c = new RobustContext(seed: 8).Data.StratifiedSplit(data);
        Assert.Equal(a.Seed, b.Seed);
        Assert.Equal(a.Train.SourceRows, b.Train.SourceRows);
        Assert.NotEqual(a.Train.SourceRows, c.Train.SourceRows);
    }

    [Fact]
    public void A_class_is_split_the_same_whichever_class_comes_first()
    {
        // Same rows; only which class is numbered (and met) first differs: "cat" is label 0 in one view and 1 in the other.
        var pattern = Enumerable.Range(0, 60).Select(i => i % 3 == 0).ToArray();
        using var catFirst = LabelledRows.FromLabels(pattern.Select(isCat => isCat ? 0 : 1).ToArray(), ["cat", "dog"]);
        using var dogFirst = LabelledRows.FromLabels(pattern.Select(isCat => isCat ? 1 : 0).ToArray(), ["dog", "cat"]);
        var ctx = new RobustContext(seed: 0);
        var a = ctx.Data.StratifiedSplit(catFirst, seed: 9);
        var b = ctx.Data.StratifiedSplit(dogFirst, seed: 9);
        Assert.Equal(a.Train.SourceRows, b.Train.SourceRows);
        Assert.Equal(a.Table["cat"], b.Table["cat"]);
    }

    [Fact]
    public void The_table_counts_each_class_and_the_totals()
    {
        using var data = LabelledRows.Create(s_counts);
        var table = new RobustContext(seed: 1).Data.StratifiedSplit(data).Table;
        Assert.Equal(10, table.Classes.Count);
        var c8 = table["class8"];
        Assert.Equal((3L, 14L, 17L), (c8.Train, c8.Test, c8.Total));
        Assert.Equal(100.0 * 3 / 17, c8.TrainPercent, 10);
        Assert.Equal(100.0 * 14 / 17, c8.TestPercent, 10);
        Assert.Equal(("total", 200L, 800L, 1000L), (table.Totals.Tag, table.Totals.Train, table.Totals.Test, table.Totals.Total));
        Assert.Equal(20.0, table.Totals.TrainPercent, 10);
    }

    [Fact]
    public void The_table_renders_as_aligned_text()
    {
        using var data = LabelledRows.Create([10, 5, 1, 0], ["airplane", "cat", "frog", "ship"]);
        var split = new RobustContext(seed: 1).Data.StratifiedSplit(data);
        const string expected = """
            tag       train  test  total  train %  test %
            airplane      2     8     10     20.0    80.0
            cat           1     4      5     20.0    80.0
            frog          1     0      1    100.0     0.0
            ship          0     0      0      0.0     0.0
            ---------------------------------------------
            total         4    12     16     25.0    75.0

            """;
        Assert.Equal(expected, split.Table.ToString());
        Assert.Equal(expected, split.ToString());
    }

    [Fact]
    public void Bad_fractions_and_missing_label_columns_are_refused_with_their_names()
    {
        using var data = LabelledRows.Create([4, 4]);
        var ctx = new RobustContext(seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => ctx.Data.StratifiedSplit(data, trainFraction: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ctx.Data.StratifiedSplit(data, trainFraction: 1));
        var e = Assert.Throws<SchemaException>(() => ctx.Data.StratifiedSplit(data, labelColumn: "Class"));
        Assert.Contains("'Class' not found", e.Message);
        var f = Assert.Throws<SchemaException>(() => ctx.Data.StratifiedSplit(data, labelColumn: DefaultColumnNames.Features));
        Assert.Contains("key (label) column", f.Message);
    }
}
