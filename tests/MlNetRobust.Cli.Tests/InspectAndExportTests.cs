using System.Text.Json;
using MlNetRobust.Cli.Infrastructure;

namespace MlNetRobust.Cli.Tests;

public sealed class InspectAndExportTests
{
    [Fact]
    public void Inspect_lists_the_tensors_of_a_pytorch_state_dict_as_json()
    {
        var r = CliRunner.Run("inspect", CliRunner.TorchFixture("tiny_model.pt"), "--json");
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal("state dict", json.GetProperty("type").GetString());
        var tensors = json.GetProperty("tensors").EnumerateArray().ToList();
        Assert.Equal(8, tensors.Count);
        Assert.Equal("0.weight", tensors[0].GetProperty("name").GetString());
        Assert.Equal([4L, 3, 3, 3], tensors[0].GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()));
        Assert.Equal("int64", tensors[5].GetProperty("dtype").GetString());
    }

    [Fact]
    public void Inspect_refuses_a_pickle_that_would_run_code_with_exit_code_3()
    {
        var r = CliRunner.Run("inspect", CliRunner.TorchFixture("malicious_os_system.pt"));
        Assert.Equal(ExitCodes.DataError, r.ExitCode);
        Assert.StartsWith("error: refusing an unsafe file: refused global 'os.system'", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void A_missing_file_is_a_data_error_naming_the_file()
    {
        var r = CliRunner.Run("inspect", "no-such-model.zip");
        Assert.Equal(ExitCodes.DataError, r.ExitCode);
        Assert.Contains("no-such-model.zip' does not exist", r.Stderr);
    }

    [Theory]
    [InlineData(new[] { "inspect" }, "Required argument missing")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "--threads", "0", "version" }, "--threads must be at least 1")]
    [InlineData(new[] { "--device", "tpu", "version" }, "unknown device 'tpu'")]
    [InlineData(new[] { "export", "model.zip" }, "--output")]
    public void Bad_command_lines_give_a_usage_error_with_exit_code_2(string[] args, string expected)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(ExitCodes.UsageError, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.Contains("--help' for usage.", r.Stderr);
    }

    [Fact]
    public void Cuda_device_on_a_cpu_build_is_refused_clearly()
    {
        var r = CliRunner.Run("--device", "cuda", "version");
        Assert.Equal(ExitCodes.UsageError, r.ExitCode);
        Assert.Contains("this libtorch has no CUDA support", r.Stderr);
    }

    [Fact]
    public void Help_shows_examples()
    {
        var r = CliRunner.Run("inspect", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Examples:", r.Stdout);
        Assert.Contains("mlnet-robust inspect", r.Stdout);
    }
}
