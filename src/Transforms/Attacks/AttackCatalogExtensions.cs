using MlNetRobust.Catalogs;
using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Models;
using MlNetRobust.Transforms.Attacks;

namespace MlNetRobust;

/// <summary>
/// Adversarial attacks on <c>ctx.Transforms</c>, as estimators given a trained model: fitting only checks the schema
/// (the model is already trained), transforming replaces the image column with adversarial images batch by batch.
/// Strength is in [0, 1] pixel space. A null seed takes the context's next seed.
/// </summary>
public static class AttackCatalogExtensions
{
    /// <summary>FGSM (Goodfellow et al. 2015): one signed-gradient step of size <paramref name="eps"/>.</summary>
    public static TrivialEstimator<AttackTransformer> FgsmAttack(this TransformsCatalog catalog, IImageModel model,
        double eps = Fgsm.Defaults.Eps, string labelColumn = DefaultColumnNames.Label, string imageColumn = DefaultColumnNames.Features,
        string? outputColumn = null, string? targetColumn = null, int? seed = null) =>
        catalog.Attack(model, new FgsmOptions(eps) { Targeted = targetColumn is not null }, labelColumn, imageColumn, outputColumn, targetColumn, seed);

    /// <summary>
    /// PGD (Madry et al. 2018). Defaults from the field: L∞, eps 8/255, step 2/255, 10 steps, random start
    /// (L2: eps 0.5, step 0.1). A <paramref name="targetColumn"/> makes it targeted toward those labels.
    /// </summary>
    public static TrivialEstimator<AttackTransformer> PgdAttack(this TransformsCatalog catalog, IImageModel model,
        double? eps = null, double? stepSize = null, int steps = Pgd.Defaults.Steps, bool randomStart = Pgd.Defaults.RandomStart,
        AttackNorm norm = AttackNorm.Linf, string labelColumn = DefaultColumnNames.Label, string imageColumn = DefaultColumnNames.Features,
        string? outputColumn = null, string? targetColumn = null, int? seed = null) =>
        catalog.Attack(model, AttackOptions.Pgd(eps, stepSize, steps, randomStart, norm) with { Targeted = targetColumn is not null },
            labelColumn, imageColumn, outputColumn, targetColumn, seed);

    /// <summary>Any attack described by <paramref name="options"/>.</summary>
    public static TrivialEstimator<AttackTransformer> Attack(this TransformsCatalog catalog, IImageModel model, AttackOptions options,
        string labelColumn = DefaultColumnNames.Label, string imageColumn = DefaultColumnNames.Features, string? outputColumn = null,
        string? targetColumn = null, int? seed = null) =>
        new(new AttackTransformer(model, options, imageColumn, labelColumn, outputColumn, targetColumn, SplitCatalogExtensions.SeedFrom(catalog, seed)));
}
