using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MlNetRobust.Data;
using MlNetRobust.Persistence;

namespace MlNetRobust.Transforms.Perturbations;

/// <summary>
/// What every perturbation is configured with: the columns, the probability that a row is perturbed and the
/// seed of its per-row randomness. Each perturbation derives a record adding its parameters; the record is
/// the whole description of the step (<see cref="CreateTransformer"/> rebuilds it), which is what the model
/// zip stores.
/// </summary>
public abstract record PerturbationOptions
{
    /// <summary>The column written; also the column read when <see cref="InputColumnName"/> is null.</summary>
    public string OutputColumnName { get; init; } = DefaultColumnNames.Features;

    /// <summary>The column read (float32 images [C, H, W] in [0, 1]); null means <see cref="OutputColumnName"/>.</summary>
    public string? InputColumnName { get; init; }

    /// <summary>The chance that a row is perturbed, decided per row from (seed, row id, salt).</summary>
    public double Probability { get; init; } = 1.0;

    /// <summary>Seed of the per-row randomness (the catalog takes it from <c>ctx.NextSeed()</c>).</summary>
    public ulong Seed { get; init; }

    /// <summary>The name stored as <c>kind</c> in options.json: the record's type name without "Options".</summary>
    [JsonIgnore]
    public string Kind => KindOf(GetType());

    /// <summary>Builds the transformer these options describe (validating them).</summary>
    public abstract ImagePerturbation CreateTransformer();

    internal static string KindOf(Type optionsType) =>
        optionsType.Name.EndsWith("Options", StringComparison.Ordinal) ? optionsType.Name[..^"Options".Length] : optionsType.Name;
}

/// <summary>
/// The stored form of a perturbation step, <c>steps/NNN-&lt;Transformer&gt;/options.json</c>:
/// <code>
/// {
///   "layout_version": 1,
///   "layout": "…this description…",
///   "options": { "kind": "GaussianNoise", "output_column_name": "Features", "probability": 0.5,
///                "seed": 123, "std": 0.1 }
/// }
/// </code>
/// <c>options.kind</c> names the options record (type name without "Options"); the other keys are its
/// properties in snake_case, enums as snake_case strings. Composite steps nest their steps' options
/// (<c>"steps": [ {"kind": …}, … ]</c>). Version 1 is the only layout so far.
/// </summary>
public static class PerturbationFile
{
    public const int LayoutVersion = 1;

    public const string FileName = "options.json";

    public const string LayoutDescription =
        "options.kind names the perturbation (the options record's type name without 'Options'); output_column_name / " +
        "input_column_name (null = same column), probability (chance a row is perturbed), seed (per-row randomness is " +
        "SplitMix64(seed, row id, salt); Transform uses salt 0) and the perturbation's parameters in snake_case; " +
        "composite steps nest their steps' options under 'steps'.";

    private sealed record Envelope(int LayoutVersion, string Layout, PerturbationOptions Options);

    /// <summary>snake_case, enums as strings, and the options records of this assembly as polymorphic kinds.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AddKinds } },
    };

    /// <summary>Every concrete options record in this assembly, by kind (found by reflection: adding one needs no registry edit).</summary>
    public static IReadOnlyDictionary<string, Type> Kinds { get; } = typeof(PerturbationOptions).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(PerturbationOptions)))
        .ToDictionary(PerturbationOptions.KindOf);

    private static void AddKinds(JsonTypeInfo info)
    {
        if (info.Type != typeof(PerturbationOptions))
        {
            return;
        }
        info.PolymorphismOptions = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = "kind",
            UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
        };
        foreach (var (kind, type) in Kinds.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, kind));
        }
    }

    public static byte[] Serialize(PerturbationOptions options) =>
        JsonSerializer.SerializeToUtf8Bytes(new Envelope(LayoutVersion, LayoutDescription, options), Json);

    public static PerturbationOptions Deserialize(ReadOnlySpan<byte> json, string where)
    {
        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: not a perturbation options file: {e.Message}", e);
        }
        if (envelope?.Options is null)
        {
            throw new InvalidDataException($"{where}: perturbation options are missing");
        }
        if (envelope.LayoutVersion > LayoutVersion)
        {
            throw new InvalidDataException($"{where}: perturbation layout version {envelope.LayoutVersion} is newer than this build reads ({LayoutVersion})");
        }
        return envelope.Options;
    }

    public static void Write(ModelSaveContext context, PerturbationOptions options) =>
        context.WriteBytes(FileName, Serialize(options));

    /// <summary>Reads options.json of a step and rebuilds its transformer.</summary>
    public static ImagePerturbation Read(ModelLoadContext context)
    {
        if (context.FormatVersion > LayoutVersion)
        {
            throw new InvalidDataException($"{context.ModelPath}: step '{context.Folder}' has layout version {context.FormatVersion}; this build reads up to {LayoutVersion}");
        }
        var where = $"{context.ModelPath}: {context.Folder}/{FileName}";
        return Deserialize(context.ReadBytes(FileName), where).CreateTransformer();
    }
}
