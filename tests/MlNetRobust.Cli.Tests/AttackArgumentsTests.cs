using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Transforms.Attacks;

namespace MlNetRobust.Cli.Tests;

public sealed class AttackArgumentsTests
{
    [Theory]
    [InlineData("8/255", 8 / 255.0)]
    [InlineData("0.03", 0.03)]
    [InlineData("1", 1.0)]
    [InlineData("2/255.0", 2 / 255.0)]
    public void Eps_is_read_as_a_fraction_or_a_decimal(string text, double expected)
    {
        Assert.Equal(expected, AttackArguments.ParseEps(text, "--eps", out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("0", "--eps must be in (0, 1] (pixel values are in [0, 1], e.g. 8/255); got 0")]
    [InlineData("256/255", "--eps must be in (0, 1] (pixel values are in [0, 1], e.g. 8/255); got 256/255")]
    [InlineData("NaN", "--eps: 'NaN' is not a number or a fraction such as 8/255")]
    [InlineData("1/2/3", "--eps: '1/2/3' is not a number or a fraction such as 8/255")]
    [InlineData("", "--eps: '' is not a number or a fraction such as 8/255")]
    public void Nonsense_eps_is_refused_naming_the_option(string text, string expected)
    {
        Assert.Null(AttackArguments.ParseEps(text, "--eps", out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void An_attack_list_gives_each_attack_with_the_fields_defaults_where_unsaid()
    {
        var attacks = AttackArguments.ParseList(["fgsm:8/255,pgd:4/255:20", "pgd-l2", "FGSM"], "--attacks", out var error);
        Assert.Null(error);
        Assert.Equal(
        [
            new FgsmOptions(8 / 255.0),
            new PgdOptions(4 / 255.0, 1 / 255.0, 20, true, AttackNorm.Linf),
            new PgdOptions(0.5, 0.125, 10, true, AttackNorm.L2),
            new FgsmOptions(8 / 255.0),
        ], attacks);
    }

    [Fact]
    public void An_l2_bound_may_exceed_one()
    {
        var attacks = AttackArguments.ParseList(["pgd-l2:1.5"], "--attacks", out var error);
        Assert.Null(error);
        Assert.Equal(1.5, Assert.IsType<PgdOptions>(Assert.Single(attacks)).Eps);
    }

    [Theory]
    [InlineData("fgsm:8/255:3", "--attacks: 'fgsm:8/255:3' has too many parts (expected fgsm[:eps])")]
    [InlineData("pgd:8/255:x", "--attacks (pgd:8/255:x): steps must be a whole number of at least 1, got 'x'")]
    [InlineData("pgd-l2:0", "--attacks (pgd-l2:0) must be greater than 0; got 0")]
    public void A_bad_attack_item_is_refused_naming_it(string item, string expected)
    {
        Assert.Empty(AttackArguments.ParseList([item], "--attacks", out var error));
        Assert.Equal(expected, error);
    }
}
