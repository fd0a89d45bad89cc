using MlNetRobust.Cli.Infrastructure;

namespace MlNetRobust.Cli.Tests;

/// <summary>
/// The error paths of data, evaluate, attack, predict and report: one line on stderr naming the file or option and
/// what is wrong, with exit code 2 for a bad command line and 3 for a bad input file. In-process: nothing is trained.
/// </summary>
public sealed class CommandErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlnr-cli-errors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> ModelCommands => new() { "evaluate", "attack", "predict" };

    /// <summary>The command line of a model command up to its model argument, with what else it needs.</summary>
    private string[] Line(string command, string modelPath) => command == "predict"
        ? [command, modelPath, TestImages.WritePng(Path.Combine(_dir, "x.png"))]
        : [command, modelPath];

    [Theory]
    [MemberData(nameof(ModelCommands))]
    public void A_missing_model_zip_is_a_data_error_naming_it(string command)
    {
        var missing = Path.Combine(_dir, "no-such-model.zip");
        var r = CliRunner.Run(Line(command, missing));
        Assert.Equal(ExitCodes.DataError, r.ExitCode);
        Assert.Equal($"error: model file '{missing}' does not exist", r.Stderr.Trim());
        Assert.Equal("", r.Stdout);
    }

    [Theory]
    [MemberData(nameof(ModelCommands))]
    public void A_corrupt_model_zip_is_a_data_error_naming_it(string command)
    {
        var corrupt = Path.Combine(_dir, "corrupt.zip");
        File.WriteAllText(corrupt, "PK this is not really a zip file");
        var r = CliRunner.Run(Line(command, corrupt));
        Assert.Equal(ExitCodes.DataError, r.ExitCode);
        Assert.StartsWith($"error: '{corrupt}' is not a valid model zip (corrupt or not a zip file)", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Theory]
    [InlineData(new[] { "attack", "m.zip", "--eps", "-1" }, "--eps must be in (0, 1]")]
    [InlineData(new[] { "attack", "m.zip", "--eps", "2" }, "--eps must be in (0, 1] (pixel values are in [0, 1], e.g. 8/255); got 2")]
    [InlineData(new[] { "attack", "m.zip", "--eps", "8/0" }, "--eps: '8/0' is not a number or a fraction such as 8/255")]
    [InlineData(new[] { "attack", "m.zip", "--eps", "lots" }, "--eps: 'lots' is not a number")]
    [InlineData(new[] { "attack", "m.zip", "--step-size", "0" }, "--step-size must be in (0, 1]")]
    [InlineData(new[] { "attack", "m.zip", "--steps", "0" }, "--steps must be at least 1")]
    [InlineData(new[] { "attack", "m.zip", "--per-class", "0" }, "--per-class must be at least 1")]
    [InlineData(new[] { "attack", "m.zip", "--attack", "cw" }, "'cw'")]
    [InlineData(new[] { "attack", "m.zip", "--format", "gif" }, "'gif'")]
    [InlineData(new[] { "evaluate", "m.zip", "--attacks", "deepfool" }, "--attacks: unknown attack 'deepfool' (known: fgsm, pgd, pgd-l2")]
    [InlineData(new[] { "evaluate", "m.zip", "--attacks", "pgd:8/255:0" }, "--attacks (pgd:8/255:0): steps must be a whole number of at least 1, got '0'")]
    [InlineData(new[] { "evaluate", "m.zip", "--attacks", "fgsm:-3" }, "--attacks (fgsm:-3) must be in (0, 1]")]
    [InlineData(new[] { "evaluate", "m.zip", "--test-per-class", "0" }, "--test-per-class must be at least 1")]
    [InlineData(new[] { "evaluate", "m.zip", "--batch-size", "0" }, "--batch-size must be at least 1")]
    [InlineData(new[] { "predict", "m.zip", "x.png", "--top", "0" }, "--top must be at least 1")]
    [InlineData(new[] { "predict", "m.zip", "x.png", "--resize", "32" }, "--resize: '32' is not a size such as 32x32 (or 'none')")]
    [InlineData(new[] { "predict", "m.zip" }, "Required argument missing")]
    [InlineData(new[] { "data", "folder", "--train-fraction", "1.5" }, "--train-fraction must be between 0 and 1 (exclusive)")]
    [InlineData(new[] { "report" }, "Required argument missing")]
    [InlineData(new[] { "experiment", "--output", "x", "--scheduler", "linear" }, "--scheduler: unknown value 'linear'; use one of step, cosine, onecycle")]
    [InlineData(new[] { "train", "--output", "x", "--scheduler", "" }, "--scheduler: unknown value ''; use one of step, cosine, onecycle")]
    [InlineData(new[] { "sweep", "--output", "x", "--scheduler", "cyclic" }, "--scheduler: unknown value 'cyclic'; use one of step, cosine, onecycle")]
    public void Bad_option_values_are_usage_errors_naming_the_option(string[] args, string expected)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(ExitCodes.UsageError, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.Contains($"Run 'mlnet-robust {args[0]} --help' for usage.", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Theory]
    [InlineData(new[] { "--scenarios", "baseline-ce", "--param", "probability=1" }, "--param probability: none of the chosen scenarios (baseline-ce) has such a parameter")]
    [InlineData(new[] { "--scenarios", "fgsm-rs-adversarial", "--param", "probability=2" }, "--param probability: 2 is out of range: probability must lie in [0, 1]")]
    public void Experiment_refuses_a_bad_param_before_reading_data(string[] args, string expected)
    {
        var r = CliRunner.Run(["experiment", "--output", _dir, .. args]);
        Assert.Equal(ExitCodes.UsageError, r.ExitCode);
        Assert.Equal($"error: {expected}", r.Stderr.Trim());
    }

    [Theory]
    [InlineData("evaluate", "--data")]
    [InlineData("evaluate", "--knn-data")]
    [InlineData("attack", "--data")]
    [InlineData("report", "--data")]
    public void A_missing_data_folder_is_a_usage_error_naming_the_option_and_folder(string command, string option)
    {
        var missing = Path.Combine(_dir, "no-such-folder");
        var r = CliRunner.Run(command, Path.Combine(_dir, "m.zip"), option, missing);
        Assert.Equal(ExitCodes.UsageError, r.ExitCode);
        Assert.Contains($"{option}: folder '{missing}' does not exist", r.Stderr);
    }

    [Fact]
    public void Predict_names_a_missing_image_file_with_exit_code_3()
    {
        var missing = Path.Combine(_dir, "ghost.jpg");
        var r = CliRunner.Run("predict", Path.Combine(_dir, "m.zip"), missing);
        Assert.Equal(ExitCodes.DataError, r.ExitCode);
        Assert.Equal($"error: '{missing}' does not exist", r.Stderr.Trim());
    }

    [Fact]
    public void Predict_refuses_a_folder_without_images_with_exit_code_3()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        TestImages.WriteText(Path.Combine(folder, "readme.md"), "no images here");
        var r = CliRunner.Run("predict", Path.Combine(_dir, "m.zip"), folder);
        Assert.Equal(ExitCodes.DataError, r.ExitCode);
        Assert.Contains($"folder '{folder}' holds no image files (.jpg, .jpeg, .png, .bmp)", r.Stderr);
    }

    [Fact]
    public void Report_of_a_folder_without_results_is_a_data_error()
    {
        TestImages.WriteText(Path.Combine(_dir, "something.txt"), "not a run");
        var r = CliRunner.Run("report", _dir);
        Assert.Equal(ExitCodes.DataError, r.ExitCode);
        Assert.Equal($"error: '{_dir}' holds no results to report (expected run.json and <scenario>/result.json, as written by 'mlnet-robust train' or 'experiment' with --output)",
            r.Stderr.Trim());
    }

    [Fact]
    public void Report_of_a_missing_folder_is_a_data_error_naming_it()
    {
        var missing = Path.Combine(_dir, "no-run");
        var r = CliRunner.Run("report", missing);
        Assert.Equal(ExitCodes.DataError, r.ExitCode);
        Assert.Equal($"error: run folder '{missing}' does not exist", r.Stderr.Trim());
    }

    [Theory]
    [InlineData("data")]
    [InlineData("evaluate")]
    [InlineData("attack")]
    [InlineData("predict")]
    [InlineData("report")]
    public void Help_shows_examples(string command)
    {
        var r = CliRunner.Run(command, "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Examples:", r.Stdout);
        Assert.Contains($"mlnet-robust {command} ", r.Stdout);
    }
}
