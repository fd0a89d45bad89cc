using System.CommandLine;

namespace MlNetRobust.Cli.Infrastructure;

/// <summary>Validators shared by the commands' options; each error names the option.</summary>
public static class OptionRules
{
    /// <summary>An int (or int?) option must be at least 1 when given.</summary>
    public static void AtLeastOne<T>(Option<T> option) => option.Validators.Add(r =>
    {
        if (r.GetValueOrDefault<T>() is int value && value < 1)
        {
            r.AddError($"{option.Name} must be at least 1");
        }
    });
}
