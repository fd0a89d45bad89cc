using System.Diagnostics;
using System.Text.RegularExpressions;
using MlNetRobust.Persistence;
using MlNetRobust.Torch.Serialization;
using MlNetRobust.Transforms.Data;

namespace MlNetRobust.Cli.Tests;

/// <summary>
/// The README's C# examples, compiled and run exactly as written: each ```csharp block becomes a console project
/// referencing the built MlNetRobust assemblies (no package restore, so it works offline) and runs as a process.
/// The pipeline example reads "../shared/datasets/cifar10-jpg/train" relative to where it runs, so it runs in a
/// folder beside a small CIFAR-10 slice laid out under that name — the text itself is not changed.
/// </summary>
public sealed partial class ReadmeExampleTests : IDisposable
{
    private const int ImagesPerClass = 10;

    private readonly string _dir = Directory.CreateTempSubdirectory("mlnr-readme-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GeneratedRegex(@"^```csharp\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    private static IReadOnlyList<string> Examples()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        return CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value).ToList();
    }

    [Fact]
    public void The_readme_has_the_pipeline_and_the_engine_examples()
    {
        var examples = Examples();
        Assert.Equal(2, examples.Count);
        Assert.Contains("ctx.Data.LoadFromImageFolder(\"../shared/datasets/cifar10-jpg/train\")", examples[0]);
        Assert.Contains("torch.manual_seed(42);", examples[1]);
    }

    [Fact]
    public void The_readme_examples_compile_and_run()
    {
        var cifar = Cifar10.Locate();
        Assert.True(cifar is not null, "the CIFAR-10 copy (../shared/datasets/cifar10-jpg) is needed for the README example");
        var slice = Path.Combine(_dir, "shared", "datasets", "cifar10-jpg", "train");
        foreach (var c in Cifar10.ClassNames)
        {
            Directory.CreateDirectory(Path.Combine(slice, c));
            foreach (var file in Directory.EnumerateFiles(Path.Combine(cifar!, "train", c)).Order(StringComparer.Ordinal).Take(ImagesPerClass))
            {
                File.Copy(file, Path.Combine(slice, c, Path.GetFileName(file)));
            }
        }
        // NuGet must not be asked for anything: the examples reference assemblies, not packages.
        File.WriteAllText(Path.Combine(_dir, "nuget.config"), "<configuration><packageSources><clear /></packageSources></configuration>");
        var work = Directory.CreateDirectory(Path.Combine(_dir, "work")).FullName;
        var examples = Examples();

        var pipeline = BuildAndRun("pipeline", examples[0], work);
        // Console.WriteLine(split.Table): 2 of each class's 10 images to train, 8 to test.
        Assert.Contains("tag         train  test  total  train %  test %", pipeline);
        Assert.Contains("airplane        2     8     10     20.0    80.0", pipeline);
        Assert.Contains("total          20    80    100     20.0    80.0", pipeline);
        var manifest = ModelZip.ReadManifest(Path.Combine(work, "fgsm.zip"));
        Assert.Equal(Cifar10.ClassNames, manifest.Classes);
        Assert.Equal(["ConvertToRgb", "ExtractPixels", "ResNetImageModel"], manifest.Steps.Select(s => s.Kind));

        // The snippet a finished `train` prints, run against the model the pipeline example saved.
        var myImages = Directory.CreateDirectory(Path.Combine(work, "my-images", "cat")).FullName;
        File.Copy(Directory.EnumerateFiles(Path.Combine(slice, "cat")).Order(StringComparer.Ordinal).First(), Path.Combine(myImages, "one.jpg"));
        var predicted = BuildAndRun("snippet", Commands.TrainCommand.Snippet(Path.Combine(work, "fgsm.zip")), work).Trim();
        Assert.Contains(predicted, Cifar10.ClassNames);

        BuildAndRun("engine", examples[1], work);
        var stateDict = StateDictFile.Load(Path.Combine(work, "model.pt")).ToDictionary(kv => kv.Key, kv => kv.Value.Shape);
        Assert.Equal([16L, 3, 3, 3], stateDict["0.weight"]);
        Assert.Equal([10L, 16], stateDict["5.weight"]);
    }

    /// <summary>Writes the example as Program.cs of a console project, builds it, runs it in <paramref name="work"/>; returns its stdout.</summary>
    private string BuildAndRun(string name, string code, string work)
    {
        var project = Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
        File.WriteAllText(Path.Combine(project, "Program.cs"), code);
        var references = string.Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "MlNetRobust.*.dll")
            .Where(f => !Path.GetFileName(f).Contains("Tests", StringComparison.Ordinal) && !Path.GetFileName(f).Contains("TestSupport", StringComparison.Ordinal))
            .Select(f => $"""<Reference Include="{Path.GetFileNameWithoutExtension(f)}" HintPath="{f}" />"""));
        File.WriteAllText(Path.Combine(project, $"{name}.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <InvariantGlobalization>true</InvariantGlobalization>
              </PropertyGroup>
              <ItemGroup>
                {references}
                <None Include="{Path.Combine(AppContext.BaseDirectory, "libmlnetrobust_torch.so")}" Link="libmlnetrobust_torch.so" CopyToOutputDirectory="PreserveNewest" />
              </ItemGroup>
            </Project>
            """);
        var build = Run(_dir, "build", project, "-c", "Release", "--nologo", "-v", "q", "-m:1");
        Assert.True(build.Code == 0, $"the README's {name} example does not build:\n{build.Stdout}\n{build.Stderr}");
        var run = Run(work, Path.Combine(project, "bin", "Release", "net10.0", $"{name}.dll"));
        Assert.True(run.Code == 0, $"the README's {name} example failed ({run.Code}):\n{run.Stdout}\n{run.Stderr}");
        return run.Stdout;
    }

    private (int Code, string Stdout, string Stderr) Run(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["MLNR_CACHE_DIR"] = Path.Combine(_dir, "cache");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MlNetRobust.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
