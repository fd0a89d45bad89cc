using MlNetRobust.Reporting.Charts;

namespace MlNetRobust.Reporting.Tests;

public sealed class NiceScaleTests
{
    [Fact]
    public void Zero_to_one_gets_ticks_a_fifth_apart()
    {
        var ticks = NiceScale.Compute(0, 1);
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1], ticks.Values);
        Assert.Equal(0.2, ticks.Step);
    }

    [Fact]
    public void Ticks_cover_the_data_and_start_and_end_on_multiples_of_the_step()
    {
        var ticks = NiceScale.Compute(0.37, 2.31);
        Assert.True(ticks.Min <= 0.37 && ticks.Max >= 2.31);
        Assert.Equal([0, 0.5, 1, 1.5, 2, 2.5], ticks.Values);
    }

    [Fact]
    public void Integer_axes_never_step_by_fractions()
    {
        var ticks = NiceScale.Compute(1, 3, integer: true);
        Assert.All(ticks.Values, v => Assert.Equal(Math.Round(v), v));
        Assert.Equal([1, 2, 3], ticks.Values);
    }

    [Fact]
    public void A_single_value_still_gets_a_range_around_it()
    {
        var ticks = NiceScale.Compute(5, 5);
        Assert.True(ticks.Min < 5 && ticks.Max > 5);
        var zero = NiceScale.Compute(0, 0);
        Assert.Equal((0, 1), (zero.Min, zero.Max));
    }

    [Fact]
    public void Negative_ranges_work_too()
    {
        Assert.Equal([-10, -5, 0, 5], NiceScale.Compute(-8, 3, 5).Values);
    }
}
