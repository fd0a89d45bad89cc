using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetRobust.Torch;
using Spectre.Console;

namespace MlNetRobust.Cli.Infrastructure;

/// <summary>
/// What a command needs from the process: parsed global options, a console for people (stderr, silenced by
/// --quiet) and the result channel (stdout: JSON with --json, else a human summary).
/// </summary>
public sealed class CliContext
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public CliContext(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        Seed = parse.GetValue(GlobalOptions.Seed);
        Threads = parse.GetValue(GlobalOptions.Threads);
        Device = Torch.Device.Parse(parse.GetValue(GlobalOptions.Device) ?? "cpu");
        JsonOutput = parse.GetValue(GlobalOptions.Json);
        Quiet = parse.GetValue(GlobalOptions.Quiet);
        Stdout = stdout;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stderr),
            Interactive = InteractionSupport.Detect,
        });
        if (!Console.Profile.Capabilities.Interactive)
        {
            // Logs and CI: long lines stay whole instead of wrapping at 80 columns.
            Console.Profile.Width = 200;
        }
        if (Device.Type == DeviceType.CUDA && !torch.cuda.is_available())
        {
            throw new CliError($"--device {Device}: this libtorch has no CUDA support (rebuild the shim against a CUDA libtorch, see README)");
        }
        if (Device.Type == DeviceType.CUDA)
        {
            // Refused rather than ignored: a run that asked for the GPU must not quietly train on the CPU.
            throw new CliError($"--device {Device}: the trainers, attacks and KNN head run on the CPU in this version; CUDA training is not wired yet");
        }
        // Debian's libtorch starts with one intra-op thread; a tool run should use the machine.
        torch.set_num_threads(Threads ?? Environment.ProcessorCount);
    }

    public int Seed { get; }

    public int? Threads { get; }

    public Device Device { get; }

    public bool JsonOutput { get; }

    public bool Quiet { get; }

    /// <summary>Human-facing output (stderr): tables, progress bars, messages.</summary>
    public IAnsiConsole Console { get; }

    public TextWriter Stdout { get; }

    /// <summary>Prints a message for people unless --quiet.</summary>
    public void Say(string markup)
    {
        if (!Quiet)
        {
            Console.MarkupLine(markup);
        }
    }

    /// <summary>Writes the command's result: JSON on stdout with --json, otherwise the human rendering.</summary>
    public void Result(object value, Action? human = null)
    {
        if (JsonOutput)
        {
            Stdout.WriteLine(JsonSerializer.Serialize(value, value.GetType(), Json));
        }
        else if (!Quiet)
        {
            (human ?? (() => Stdout.WriteLine(JsonSerializer.Serialize(value, value.GetType(), Json))))();
        }
    }
}
