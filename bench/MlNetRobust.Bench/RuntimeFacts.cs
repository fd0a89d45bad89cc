using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MlNetRobust.Torch;

namespace MlNetRobust.Bench;

/// <summary>What the numbers were measured on: versions, threads, and the BLAS libtorch actually loaded.</summary>
public static partial class RuntimeFacts
{
    /// <summary>
    /// Shared libraries mapped into this process whose names mention BLAS. Debian's libtorch calls
    /// libblas.so.3, an alternatives link: the file it resolves to (reference BLAS or OpenBLAS) decides speed.
    /// </summary>
    public static string[] LoadedBlasLibraries()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return [];
        }
        return File.ReadLines(maps)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
            .Where(path => BlasName().IsMatch(Path.GetFileName(path)))
            .Distinct()
            .Select(path => ResolveLink(path))
            .Distinct()
            .Order()
            .ToArray();
    }

    private static string ResolveLink(string path)
    {
        try
        {
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
            return target?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    [GeneratedRegex("blas|mkl", RegexOptions.IgnoreCase)]
    private static partial Regex BlasName();

    /// <summary>The CPU's model name from /proc/cpuinfo, or the architecture elsewhere.</summary>
    public static string CpuModel()
    {
        const string cpuinfo = "/proc/cpuinfo";
        var line = File.Exists(cpuinfo) ? File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
        return line is null ? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
    }

    public static JsonObject Describe() => new()
    {
        ["mlnet_robust"] = typeof(RuntimeFacts).Assembly.GetName().Version?.ToString(3),
        ["libtorch"] = torch.version,
        ["binding"] = torch.binding_version,
        ["dotnet"] = Environment.Version.ToString(),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["cpu"] = CpuModel(),
        ["processors"] = Environment.ProcessorCount,
        ["intra_op_threads"] = torch.get_num_threads(),
        ["malloc"] = torch.allocator_description,
        ["blas_loaded"] = new JsonArray(LoadedBlasLibraries().Select(path => (JsonNode?)path).ToArray()),
        ["cuda"] = torch.cuda.is_available(),
    };
}
