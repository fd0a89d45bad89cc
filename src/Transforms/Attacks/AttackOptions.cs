using System.Text.Json.Serialization;
using MlNetRobust.Models;

namespace MlNetRobust.Transforms.Attacks;

/// <summary>
/// An attack described without a model — what a trainer takes to craft adversarial examples against the model it
/// is training (<c>attack: AttackOptions.Fgsm(8 / 255.0)</c>), and what an attack step stores in a model zip.
/// Serialised as JSON with an "attack" discriminator ("fgsm", "pgd").
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "attack")]
[JsonDerivedType(typeof(FgsmOptions), "fgsm")]
[JsonDerivedType(typeof(PgdOptions), "pgd")]
public abstract record AttackOptions
{
    /// <summary>True: the labels given are targets to move toward.</summary>
    public bool Targeted { get; init; }

    /// <summary>The attack against <paramref name="model"/>, with an optional custom objective.</summary>
    public abstract Attack Create(IImageModel model, Func<Torch.Tensor, Torch.Tensor?, Torch.Tensor>? loss = null);

    public static FgsmOptions Fgsm(double eps = Attacks.Fgsm.Defaults.Eps) => new(eps);

    public static PgdOptions Pgd(double? eps = null, double? stepSize = null, int steps = Attacks.Pgd.Defaults.Steps,
        bool randomStart = Attacks.Pgd.Defaults.RandomStart, AttackNorm norm = AttackNorm.Linf) =>
        new(eps ?? (norm == AttackNorm.Linf ? Attacks.Pgd.Defaults.Eps : Attacks.Pgd.Defaults.L2Eps),
            stepSize ?? (norm == AttackNorm.Linf ? Attacks.Pgd.Defaults.StepSize : Attacks.Pgd.Defaults.L2StepSize),
            steps, randomStart, norm);
}

/// <summary>Options of <see cref="Attacks.Fgsm"/>.</summary>
public sealed record FgsmOptions(double Eps) : AttackOptions
{
    public override Attack Create(IImageModel model, Func<Torch.Tensor, Torch.Tensor?, Torch.Tensor>? loss = null) =>
        new Fgsm(model, Eps) { Targeted = Targeted, Loss = loss };
}

/// <summary>Options of <see cref="Attacks.Pgd"/>.</summary>
public sealed record PgdOptions(double Eps, double StepSize, int Steps, bool RandomStart, AttackNorm Norm) : AttackOptions
{
    public override Attack Create(IImageModel model, Func<Torch.Tensor, Torch.Tensor?, Torch.Tensor>? loss = null) =>
        new Pgd(model, Eps, StepSize, Steps, RandomStart, Norm) { Targeted = Targeted, Loss = loss };
}
