using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetRobust.Data;
using MlNetRobust.Estimators;

namespace MlNetRobust.Persistence;

/// <summary>
/// The model file: one zip holding a fitted pipeline, loadable on another machine with no other input.
///
/// Layout (format version 1):
///   manifest.json                 {"format":"mlnet-robust-model","format_version":1,"product_version":…,
///                                  "created_utc":…,"input_schema":[…],"classes":[…],"steps":[{index,kind,version,folder}]}
///   steps/000-&lt;kind&gt;/…          one folder per step, written by the step (options.json, weights.pt in
///                                  PyTorch's torch.save format, …)
///   classes.json                  the label names, in label order (also in the manifest), for other tools
/// Loading checks the format and version first and fails clearly on a newer or corrupt file. Entries are read
/// in place, never extracted; <see cref="ExtractTo"/> refuses names that would escape its folder.
/// </summary>
public static class ModelZip
{
    public const string FormatName = "mlnet-robust-model";
    public const int FormatVersion = 1;

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public sealed record StepEntry(int Index, string Kind, int Version, string Folder);

    public sealed record Manifest(string Format, int FormatVersion, string ProductVersion, DateTime CreatedUtc,
        IReadOnlyList<string> InputSchema, IReadOnlyList<string>? Classes, IReadOnlyList<StepEntry> Steps);

    /// <summary>Writes the fitted pipeline atomically (a temp file renamed over <paramref name="path"/>).</summary>
    public static void Save(ITransformer model, DataViewSchema inputSchema, string path)
    {
        var steps = Flatten(model).ToList();
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
                {
                    var entries = new List<StepEntry>();
                    for (var i = 0; i < steps.Count; i++)
                    {
                        var step = steps[i] as IPersistentTransformer
                            ?? throw new NotSupportedException($"pipeline step {i} ({steps[i].GetType().Name}) cannot be saved: it does not implement IPersistentTransformer");
                        var folder = $"steps/{i:D3}-{step.Kind}";
                        step.Save(new ModelSaveContext(zip, folder));
                        entries.Add(new StepEntry(i, step.Kind, step.FormatVersion, folder));
                    }
                    var classes = FindClasses(model.GetOutputSchema(inputSchema)) ?? FindClasses(inputSchema);
                    var manifest = new Manifest(FormatName, FormatVersion, ProductVersion, DateTime.UtcNow,
                        inputSchema.Select(c => c.ToString()).ToList(), classes, entries);
                    Write(zip, "manifest.json", JsonSerializer.SerializeToUtf8Bytes(manifest, JsonOptions));
                    if (classes is not null)
                    {
                        Write(zip, "classes.json", JsonSerializer.SerializeToUtf8Bytes(classes, JsonOptions));
                    }
                }
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Loads a pipeline saved by <see cref="Save"/> as a chain of its steps.</summary>
    public static TransformerChain<ITransformer> Load(string path)
    {
        using var zip = Open(path);
        var manifest = ReadManifest(zip, path);
        var steps = new List<ITransformer>();
        foreach (var step in manifest.Steps.OrderBy(s => s.Index))
        {
            var loader = FindLoader(step.Kind)
                ?? throw new InvalidDataException($"{path}: step {step.Index} has unknown kind '{step.Kind}' (is the assembly that defines it loaded?)");
            try
            {
                steps.Add(loader(new ModelLoadContext(zip, step.Folder, step.Version, path)));
            }
            catch (Exception e) when (e is not InvalidDataException)
            {
                throw new InvalidDataException($"{path}: step {step.Index} ('{step.Kind}') failed to load: {e.Message}", e);
            }
        }
        return new TransformerChain<ITransformer>(steps);
    }

    /// <summary>Reads only the manifest (for inspect).</summary>
    public static Manifest ReadManifest(string path)
    {
        using var zip = Open(path);
        return ReadManifest(zip, path);
    }

    /// <summary>Every entry name in the zip with its size, for inspect.</summary>
    public static IReadOnlyList<(string Name, long Length)> ListEntries(string path)
    {
        using var zip = Open(path);
        return zip.Entries.Select(e => (e.FullName, e.Length)).ToList();
    }

    /// <summary>Extracts every entry under <paramref name="folder"/>; refuses any entry that would land outside it.</summary>
    public static void ExtractTo(string path, string folder)
    {
        var root = Path.GetFullPath(folder);
        var rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        using var zip = Open(path);
        foreach (var entry in zip.Entries)
        {
            var target = Path.GetFullPath(Path.Combine(root, entry.FullName));
            if (!target.StartsWith(rootWithSeparator, StringComparison.Ordinal) || Path.IsPathRooted(entry.FullName))
            {
                throw new InvalidDataException($"{path}: entry '{entry.FullName}' would be written outside '{root}'; refusing to extract");
            }
        }
        foreach (var entry in zip.Entries)
        {
            var target = Path.GetFullPath(Path.Combine(root, entry.FullName));
            if (entry.FullName.EndsWith('/'))
            {
                Directory.CreateDirectory(target);
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            entry.ExtractToFile(target, overwrite: true);
        }
    }

    private static ZipArchive Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"model file '{path}' does not exist", path);
        }
        try
        {
            return ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' is not a valid model zip (corrupt or not a zip file): {e.Message}", e);
        }
    }

    private static Manifest ReadManifest(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry("manifest.json") ?? throw new InvalidDataException($"'{path}' has no manifest.json: it is not an MlNetRobust model zip");
        Manifest? manifest;
        try
        {
            using var stream = entry.Open();
            manifest = JsonSerializer.Deserialize<Manifest>(stream, JsonOptions);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"'{path}': manifest.json is corrupt: {e.Message}", e);
        }
        if (manifest is null || manifest.Format != FormatName)
        {
            throw new InvalidDataException($"'{path}': manifest.json does not describe an {FormatName} (format '{manifest?.Format}')");
        }
        if (manifest.FormatVersion > FormatVersion)
        {
            throw new InvalidDataException($"'{path}' uses model format version {manifest.FormatVersion} (written by MlNetRobust {manifest.ProductVersion}); this build ({ProductVersion}) reads up to version {FormatVersion}. Upgrade MlNetRobust to load it.");
        }
        return manifest;
    }

    private static void Write(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        stream.Write(bytes);
    }

    private static IReadOnlyList<string>? FindClasses(DataViewSchema schema) =>
        schema.TryGet(DefaultColumnNames.PredictedLabel, out var p) && p.Type is KeyType pk ? pk.Names
        : schema.TryGet(DefaultColumnNames.Label, out var l) && l.Type is KeyType lk ? lk.Names
        : null;

    private static IEnumerable<ITransformer> Flatten(ITransformer model) => model switch
    {
        TransformerChain<ITransformer> chain => chain.Transformers.SelectMany(Flatten),
        _ when model.GetType().IsGenericType && model.GetType().GetGenericTypeDefinition() == typeof(TransformerChain<>)
            => ((IEnumerable<ITransformer>)model.GetType().GetProperty(nameof(TransformerChain<ITransformer>.Transformers))!.GetValue(model)!).SelectMany(Flatten),
        _ => [model],
    };

    public static string ProductVersion =>
        typeof(ModelZip).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    // ---- the loader registry ----------------------------------------------------------------------------

    private static readonly Lazy<Dictionary<string, Func<ModelLoadContext, ITransformer>>> s_loaders = new(DiscoverLoaders);

    /// <summary>Product assemblies whose steps may appear in a model zip; loaded on demand so a bare Load finds them.</summary>
    private static readonly string[] s_productAssemblies = ["MlNetRobust.Transforms", "MlNetRobust.Trainers", "MlNetRobust.Pipelines"];

    private static Func<ModelLoadContext, ITransformer>? FindLoader(string kind) =>
        s_loaders.Value.TryGetValue(kind, out var loader) ? loader : null;

    private static Dictionary<string, Func<ModelLoadContext, ITransformer>> DiscoverLoaders()
    {
        foreach (var name in s_productAssemblies)
        {
            try
            {
                Assembly.Load(name);
            }
            catch (FileNotFoundException)
            {
                // Not deployed with this application: its steps cannot appear in models it made.
            }
        }
        var result = new Dictionary<string, Func<ModelLoadContext, ITransformer>>();
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic))
        {
            Type[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                types = e.Types.Where(t => t is not null).ToArray()!;
            }
            foreach (var type in types)
            {
                if (type.GetCustomAttribute<TransformerLoaderAttribute>() is not { } attribute)
                {
                    continue;
                }
                var method = type.GetMethod("Load", BindingFlags.Public | BindingFlags.Static, [typeof(ModelLoadContext)])
                    ?? throw new InvalidOperationException($"{type.FullName} is marked [TransformerLoader(\"{attribute.Kind}\")] but has no public static Load(ModelLoadContext)");
                result[attribute.Kind] = method.CreateDelegate<Func<ModelLoadContext, ITransformer>>();
            }
        }
        return result;
    }
}
