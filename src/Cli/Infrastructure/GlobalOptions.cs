using System.CommandLine;

namespace MlNetRobust.Cli.Infrastructure;

/// <summary>Options every command accepts (declared once on the root, recursive).</summary>
public static class GlobalOptions
{
    public static readonly Option<int> Seed = new("--seed")
    {
        Description = "Seed for every random choice (data split, initialisation, augmentation, attacks)",
        DefaultValueFactory = _ => 42,
        Recursive = true,
    };

    public static readonly Option<int?> Threads = new("--threads")
    {
        Description = "libtorch intra-op threads (default: all cores)",
        Recursive = true,
    };

    public static readonly Option<string> Device = new("--device")
    {
        Description = "cpu (cuda or cuda:N is recognised, but models run on the CPU in this version)",
        DefaultValueFactory = _ => "cpu",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print the result as JSON on stdout (progress and messages go to stderr)",
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "No progress bars or messages; errors only",
        Recursive = true,
    };

    static GlobalOptions()
    {
        Threads.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
            {
                r.AddError("--threads must be at least 1");
            }
        });
        Device.Validators.Add(r =>
        {
            try
            {
                Torch.Device.Parse(r.GetValueOrDefault<string>() ?? "");
            }
            catch (FormatException e)
            {
                r.AddError($"--device: {e.Message}");
            }
        });
    }

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Seed);
        root.Options.Add(Threads);
        root.Options.Add(Device);
        root.Options.Add(Json);
        root.Options.Add(Quiet);
    }
}
