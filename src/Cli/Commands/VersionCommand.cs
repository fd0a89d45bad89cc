using System.CommandLine;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Torch;

namespace MlNetRobust.Cli.Commands;

/// <summary><c>mlnet-robust version</c>: this tool's and libtorch's versions, and what libtorch was built with.</summary>
public sealed class VersionCommand : ICliCommand
{
    public Command Build(CliEnvironment environment)
    {
        var command = new Command("version", "Show versions of mlnet-robust, libtorch and .NET");
        command.SetAction(parse =>
        {
            var ctx = environment.Context(parse);
            var result = new Dictionary<string, object>
            {
                ["mlnet_robust"] = Persistence.ModelZip.ProductVersion,
                ["libtorch"] = torch.version,
                ["dotnet"] = Environment.Version.ToString(),
                ["threads"] = torch.get_num_threads(),
                ["cuda"] = torch.cuda.is_available(),
                ["malloc"] = torch.allocator_description,
            };
            ctx.Result(result, () => ctx.Stdout.WriteLine($"mlnet-robust {result["mlnet_robust"]} (libtorch {result["libtorch"]}, .NET {result["dotnet"]})"));
            return ExitCodes.Success;
        });
        return command;
    }
}
