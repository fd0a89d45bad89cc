using MlNetRobust.Pipelines.Sweeps;

namespace MlNetRobust.Pipelines.Tests;

public sealed class SearchSpaceTests
{
    private static readonly SearchSpace s_xy = new(
        SweepParameter.Choice("x", [0, 1, 2]),
        SweepParameter.Choice("y", [10, 20]));

    [Fact]
    public void The_grid_is_the_cartesian_product_with_the_last_parameter_fastest()
    {
        Assert.Equal(6, s_xy.GridSize);
        Assert.Equal(["x=0;y=10", "x=0;y=20", "x=1;y=10", "x=1;y=20", "x=2;y=10", "x=2;y=20"], s_xy.Grid().Select(p => p.Key));
    }

    [Fact]
    public void A_log_range_spaces_its_grid_evenly_in_log_space()
    {
        var lr = SweepParameter.Range("lr", 1e-4, 1e-2, log: true, points: 3);
        Assert.Equal([1e-4, 1e-3, 1e-2], lr.Candidates);
        var linear = SweepParameter.Range("m", 0, 0.3, points: 4);
        Assert.Equal([0, 0.1, 0.2, 0.3], linear.Candidates);
    }

    [Fact]
    public void Integer_ranges_give_whole_numbers_inside_their_bounds()
    {
        var batch = SweepParameter.Range("batch", 2, 5, points: 3, integer: true);
        Assert.Equal([2, 4, 5], batch.Candidates); // 2, 3.5 → 4 (to even), 5
        var random = new Random(1);
        var draws = Enumerable.Range(0, 200).Select(_ => batch.Sample(random)).ToList();
        Assert.All(draws, d => Assert.True(d == Math.Round(d) && d is >= 2 and <= 5, $"{d}"));
        Assert.Equal([2, 3, 4, 5], draws.Distinct().Order());
    }

    [Fact]
    public void Samples_of_a_log_range_stay_inside_it_with_four_significant_digits()
    {
        var lr = SweepParameter.Range("lr", 1e-4, 1e-2, log: true);
        var random = new Random(3);
        foreach (var v in Enumerable.Range(0, 100).Select(_ => lr.Sample(random)))
        {
            Assert.InRange(v, 1e-4, 1e-2);
            Assert.Equal(v, double.Parse(v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Defaults_and_keys_follow_the_space_order()
    {
        var space = new SearchSpace(SweepParameter.Choice("m", [0.1, 0.4], @default: 0.25), SweepParameter.Choice("gamma", [64, 256], @default: 256));
        Assert.Equal("m=0.25;gamma=256", space.Defaults.Key);
        Assert.Equal("m=0.25 gamma=64", space.Defaults.With("gamma", 64).ToString());
        Assert.Equal("m=0.25;gamma=256", space.Read(new Dictionary<string, double> { ["gamma"] = 256, ["m"] = 0.25 })!.Key);
        Assert.Null(space.Read(new Dictionary<string, double> { ["m"] = 0.25 }));
    }

    [Theory]
    [InlineData("a log range needs a positive low end (got 0)")]
    [InlineData("the range 1..1 is empty")]
    public void Bad_ranges_are_refused(string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => expected.StartsWith("a log", StringComparison.Ordinal)
            ? SweepParameter.Range("lr", 0, 1, log: true)
            : SweepParameter.Range("lr", 1, 1));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_parameter_may_appear_only_once()
    {
        var e = Assert.Throws<ArgumentException>(() => new SearchSpace(SweepParameter.Choice("m", [1]), SweepParameter.Choice("M", [2])));
        Assert.StartsWith("parameter 'm' appears twice in the search space", e.Message);
    }
}
