using Spectre.Console;

namespace MlNetRobust.Cli.Infrastructure;

/// <summary>A Spectre.Console writer over the result channel (stdout), for commands whose human result is tables.</summary>
public static class ResultConsole
{
    public static IAnsiConsole Create(CliContext ctx)
    {
        // Colour only on a real terminal: results piped to a file or captured by a test stay plain text.
        var terminal = ReferenceEquals(ctx.Stdout, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(ctx.Stdout),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!console.Profile.Capabilities.Interactive)
        {
            // Redirected to a file or a pipe: keep long paths on one line.
            console.Profile.Width = 200;
        }
        return console;
    }
}
