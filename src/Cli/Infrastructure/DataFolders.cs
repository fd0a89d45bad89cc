using System.CommandLine;
using MlNetRobust.Transforms.Data;

namespace MlNetRobust.Cli.Infrastructure;

/// <summary>
/// Folder options of the commands that read labelled images: a folder with one sub-folder per class, or a data
/// root holding train/ and test/ (as CIFAR-10's), from which the right side is taken.
/// </summary>
public static class DataFolders
{
    /// <summary>An option naming an existing folder (checked while parsing: a missing one is a usage error naming the option).</summary>
    public static Option<DirectoryInfo?> Option(string name, string description)
    {
        var option = new Option<DirectoryInfo?>(name) { Description = description };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<DirectoryInfo?>() is { Exists: false } d)
            {
                r.AddError($"{name}: folder '{d.FullName}' does not exist");
            }
        });
        return option;
    }

    /// <summary>True for a data root: it holds both train/ and test/.</summary>
    public static bool IsSplitRoot(string folder) =>
        Directory.Exists(Path.Combine(folder, "train")) && Directory.Exists(Path.Combine(folder, "test"));

    /// <summary>The class folders to use: <paramref name="side"/>/ of a data root, the folder itself otherwise, and CIFAR-10's when none is given.</summary>
    public static string Resolve(DirectoryInfo? given, string side)
    {
        var root = given?.FullName ?? Cifar10.Locate()
            ?? throw new CliError($"CIFAR-10 not found (../shared/datasets/cifar10-jpg or ${Cifar10.Defaults.LocateVariable}): pass --data <folder>", ExitCodes.DataError);
        return IsSplitRoot(root) ? Path.Combine(root, side) : root;
    }
}
