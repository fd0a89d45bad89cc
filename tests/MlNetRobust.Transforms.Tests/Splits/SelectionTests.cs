namespace MlNetRobust.Transforms.Tests.Splits;

public sealed class SelectionTests
{
    [Fact]
    public void TakeStratified_takes_up_to_n_rows_of_each_class_reproducibly()
    {
        using var data = LabelledRows.Create([300, 150, 40]);
        var ctx = new RobustContext(seed: 0);
        var a = ctx.Data.TakeStratified(data, perClass: 100, seed: 1);
        var b = ctx.Data.TakeStratified(data, perClass: 100, seed: 1);
        var c = ctx.Data.TakeStratified(data, perClass: 100, seed: 2);
        Assert.Equal([100, 100, 40], LabelledRows.CountPerClass(a, 3));
        Assert.Equal(a.SourceRows, b.SourceRows);
        Assert.NotEqual(a.SourceRows, c.SourceRows);
        Assert.Equal(a.SourceRows.Distinct().Order(), a.SourceRows);
    }

    [Fact]
    public void Shuffle_permutes_every_row_and_take_keeps_the_first()
    {
        using var data = LabelledRows.Create([20, 20]);
        var ctx = new RobustContext(seed: 0);
        var shuffled = ctx.Data.Shuffle(data, seed: 3);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), shuffled.SourceRows.Order());
        Assert.NotEqual(Enumerable.Range(0, 40).Select(i => (long)i), shuffled.SourceRows);
        Assert.Equal(shuffled.SourceRows, ctx.Data.Shuffle(data, seed: 3).SourceRows);

        Assert.Equal([0L, 1L, 2L], ctx.Data.Take(data, 3).SourceRows);
        Assert.Equal(40, ctx.Data.Take(data, 100).RowCount);
    }
}
