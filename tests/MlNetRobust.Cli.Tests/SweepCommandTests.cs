using MlNetRobust.Cli.Infrastructure;

namespace MlNetRobust.Cli.Tests;

/// <summary>Every way a sweep command line can be wrong: the one-line message and exit code 2, before any data is read.</summary>
public sealed class SweepCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlnr-sweep-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private CliRunner.Result Sweep(params string[] args) => CliRunner.Run(["sweep", "--output", _dir, .. args]);

    [Theory]
    [InlineData(new[] { "--scenario", "circle", "--param", "alpha=40" }, "--param alpha: the circle scenario has no such parameter (it has lr, m, gamma, per-class)")]
    [InlineData(new[] { "--param", "lr0.01" }, "--param 'lr0.01': expected NAME=VALUES, e.g. m=0.1,0.25,0.4 or lr=0.0001..0.01:log")]
    [InlineData(new[] { "--param", "lr=0.01,fast" }, "--param lr: 'fast' is not a number")]
    [InlineData(new[] { "--param", "lr=0.01", "--param", "lr=0.1" }, "--param lr: given twice")]
    [InlineData(new[] { "--param", "lr=0.1..0.01" }, "--param lr: the range 0.1..0.01 is empty (the low end must be below the high end)")]
    [InlineData(new[] { "--scenario", "circle", "--param", "gamma=64,-1" }, "--param gamma: -1 is out of range: gamma must be greater than 0")]
    [InlineData(new[] { "--scenario", "circle", "--param", "m=1" }, "--param m: 1 is out of range: m must lie in [0, 1)")]
    [InlineData(new[] { "--scenario", "angular", "--param", "alpha=45,90" }, "--param alpha: 90 is out of range: alpha must lie in (0, 90)")]
    [InlineData(new[] { "--scenario", "fgsm-adversarial", "--param", "probability=1.5" }, "--param probability: 1.5 is out of range: probability must lie in [0, 1]")]
    [InlineData(new[] { "--scenario", "magic" }, "unknown scenario 'magic'; known: baseline-ce, perturbation-ce, fgsm-adversarial, fgsm-rs-adversarial, fgsm-pgd-adversarial, angular, circle")]
    [InlineData(new[] { "--eta", "2" }, "--eta only applies to --strategy halving")]
    [InlineData(new[] { "--strategy", "grid", "--min-epochs", "2" }, "--min-epochs only applies to --strategy halving")]
    [InlineData(new[] { "--strategy", "greedy", "--configurations", "5" }, "--configurations only applies to --strategy random or halving")]
    public void A_bad_sweep_is_refused_with_one_line_and_exit_code_2(string[] args, string expected)
    {
        var r = Sweep(args);
        Assert.Equal(ExitCodes.UsageError, r.ExitCode);
        Assert.Equal($"error: {expected}", r.Stderr.Trim());
        Assert.Equal("", r.Stdout);
    }

    [Theory]
    [InlineData(new[] { "--strategy", "anneal" }, "--strategy: unknown value 'anneal'; use one of greedy, grid, random, halving")]
    [InlineData(new[] { "--metric", "loss" }, "--metric: unknown value 'loss'; use one of accuracy, fgsm, mean")]
    [InlineData(new[] { "--trials", "0" }, "--trials must be at least 1")]
    [InlineData(new[] { "--time-budget", "5x" }, "--time-budget: '5x' is not a duration (use e.g. 90s, 30m, 2h or 1h30m)")]
    [InlineData(new[] { "--time-budget", "0m" }, "--time-budget must be positive")]
    [InlineData(new[] { "--strategy", "halving", "--eta", "1" }, "--eta must be at least 2")]
    [InlineData(new[] { "--strategy", "halving", "--min-epochs", "0" }, "--min-epochs must be at least 1")]
    [InlineData(new[] { "--strategy", "random", "--configurations", "0" }, "--configurations must be at least 1")]
    [InlineData(new[] { "--epochs", "0" }, "--epochs must be at least 1")]
    public void A_bad_option_value_is_a_usage_error_with_a_hint(string[] args, string expected)
    {
        var r = Sweep(args);
        Assert.Equal(ExitCodes.UsageError, r.ExitCode);
        Assert.Equal([$"error: {expected}", "Run 'mlnet-robust sweep --help' for usage."], r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Help_shows_the_short_trial_defaults_a_sweep_applies()
    {
        var r = CliRunner.Run("sweep", "--help");
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var lines = r.Stdout.Split('\n');
        Assert.Contains("[default: 3]", lines.Single(l => l.TrimStart().StartsWith("--epochs", StringComparison.Ordinal)));
        Assert.Contains("[default: 50]", lines.Single(l => l.TrimStart().StartsWith("--validation-per-class", StringComparison.Ordinal)));
        Assert.Contains("[default: 200]", lines.Single(l => l.TrimStart().StartsWith("--train-per-class", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_output_folder_is_required()
    {
        var r = CliRunner.Run("sweep", "--scenario", "circle");
        Assert.Equal(ExitCodes.UsageError, r.ExitCode);
        Assert.Contains("--output", r.Stderr);
    }

    [Fact]
    public void A_trial_log_from_another_sweep_in_the_output_folder_is_refused()
    {
        File.WriteAllText(Path.Combine(_dir, "trials.jsonl"), """{"sweep":{"format":1,"identity":{"scenario":"circle"}}}""" + "\n");
        var r = Sweep("--scenario", "angular");
        Assert.Equal(ExitCodes.UsageError, r.ExitCode);
        var line = Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.StartsWith($"error: --output: the trial log '{Path.Combine(_dir, "trials.jsonl")}' belongs to a different sweep (", line);
        Assert.Contains("scenario: 'circle' there, 'angular' here", line);
        Assert.EndsWith("; use another --output, or delete it to start over", line);
    }

    [Fact]
    public void A_corrupt_trial_log_is_a_data_error_naming_the_line()
    {
        File.WriteAllText(Path.Combine(_dir, "trials.jsonl"), "not a log\n");
        var r = Sweep();
        Assert.Equal(ExitCodes.DataError, r.ExitCode);
        Assert.StartsWith($"error: '{Path.Combine(_dir, "trials.jsonl")}' line 1: not valid JSON", r.Stderr);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("01:00:05", 3605)]
    public void Durations_read_as_people_write_them(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse(text));

    [Fact]
    public void Help_lists_the_strategies_and_examples()
    {
        var r = CliRunner.Run("sweep", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("mlnet-robust sweep --scenario circle --param m=0.1,0.25,0.4 --param gamma=32,64,128,256 --strategy greedy", r.Stdout);
        Assert.Contains("halving (successive halving)", r.Stdout);
    }
}
