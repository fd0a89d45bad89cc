namespace MlNetRobust.Reporting.Tests;

public sealed class NumberFormatTests
{
    [Theory]
    [InlineData(0.8342, "83.4%")]
    [InlineData(1.0, "100.0%")]
    [InlineData(-0.00001, "0.0%")]
    public void Percentages_are_invariant_and_never_negative_zero(double value, string expected) =>
        Assert.Equal(expected, NumberFormat.Percent(1).Format(value));

    [Fact]
    public void Each_format_writes_numbers_the_same_way_on_every_machine()
    {
        Assert.Equal("12,345", NumberFormat.Integer.Format(12345.4));
        Assert.Equal("0.125", NumberFormat.Fixed(3).Format(0.125));
        Assert.Equal("0.25", NumberFormat.General.Format(0.25));
        Assert.Equal("3", NumberFormat.General.Format(3));
        Assert.Equal("1.50e+003", NumberFormat.Pattern("0.00e+000").Format(1500));
        Assert.Equal(NumberFormat.Missing, NumberFormat.General.Format(double.NaN));
    }

    [Theory]
    [InlineData(42, "42.0 s")]
    [InlineData(185, "3 min 05 s")]
    [InlineData(3725, "1 h 02 min")]
    public void Durations_are_written_for_people(double seconds, string expected) =>
        Assert.Equal(expected, NumberFormat.Seconds.Format(seconds));
}
