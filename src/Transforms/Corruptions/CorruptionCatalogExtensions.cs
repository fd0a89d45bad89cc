using MlNetRobust.Catalogs;
using MlNetRobust.Data;
using MlNetRobust.Transforms.Corruptions;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust;

/// <summary>The CIFAR-10-C corruptions on <c>ctx.Transforms</c> (see Corruption.cs and docs/corruptions.md).</summary>
public static class CorruptionCatalogExtensions
{
    /// <summary>Applies one corruption at severity 1–5 to each row with probability <paramref name="p"/>.</summary>
    public static PerturbationEstimator<CorruptionTransformer> Corrupt(this TransformsCatalog catalog, Corruption corruption,
        int severity = CorruptionOptions.Defaults.Severity, double p = CorruptionOptions.Defaults.Probability,
        string outputColumnName = DefaultColumnNames.Features, string? inputColumnName = null, ulong? seed = null) =>
        new(new CorruptionTransformer(new CorruptionOptions
        {
            Corruption = corruption,
            Severity = severity,
            Probability = p,
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Seed = seed ?? catalog.Context.NextSeed(),
        }));
}
