using MlNetRobust.Models;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Attacks;

/// <summary>Which norm bounds a perturbation: the largest pixel change (L∞) or the Euclidean length (L2), in [0, 1] pixel units.</summary>
public enum AttackNorm
{
    Linf,
    L2,
}

/// <summary>
/// Base of the adversarial attacks: it does the plumbing once so that each attack is only its math
/// (torchattacks' <c>attack.py</c>). For the whole crafting it
/// <list type="bullet">
/// <item>puts the model in evaluation mode through <see cref="IImageModel.EvaluationMode"/> and restores the previous
/// mode afterwards — crafting in training mode moves BatchNorm's running statistics, couples the images of a batch
/// through batch statistics and leaves dropout on (the classic bug, ART issue #484);</item>
/// <item>works in [0, 1] pixel space (normalisation is inside the model; images outside [0, 1] are refused) and
/// clamps the result to valid pixels;</item>
/// <item>takes input gradients with <c>torch.autograd.grad</c>, so parameters' <c>.grad</c> is never touched, and
/// enables gradients even when called under <c>torch.no_grad()</c>;</item>
/// <item>chooses the objective (<see cref="AttackObjective"/>): cross-entropy with the labels for classifiers (or,
/// targeted, its negative with the target labels), 1 − cosine similarity to the clean embedding for embedding models,
/// or the given <see cref="Loss"/>;</item>
/// <item>frees every temporary: each call runs in a dispose scope, iterations in their own (<see cref="Iterate"/>).</item>
/// </list>
/// The result is a new tensor [N, C, H, W] without gradient history; the inputs are not modified.
/// </summary>
public abstract class Attack
{
    protected Attack(IImageModel model, double eps)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(eps >= 0) || !double.IsFinite(eps))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be finite and ≥ 0 (in [0, 1] pixel units)");
        }
        (Model, Eps) = (model, eps);
    }

    public IImageModel Model { get; }

    /// <summary>Perturbation budget in [0, 1] pixel space (per pixel for L∞, per image for L2).</summary>
    public double Eps { get; }

    /// <summary>When true the labels given are targets: the attack lowers the loss toward them instead of raising it.</summary>
    public bool Targeted { get; init; }

    /// <summary>
    /// A custom objective (model output [N, …], labels [N] or null) → scalar, raised by the attack (lowered when
    /// <see cref="Targeted"/>). Null: cross-entropy for logits, 1 − cos to the clean embedding for embeddings.
    /// </summary>
    public Func<Tensor, Tensor?, Tensor>? Loss { get; init; }

    /// <summary>
    /// Adversarial versions of <paramref name="images"/> [N, C, H, W], float in [0, 1]; <paramref name="labels"/> [N]
    /// (int64 class indices: true labels, or targets when <see cref="Targeted"/>) may be null for an embedding model.
    /// Random starts draw from <paramref name="generator"/> (the global generator when null), batch-wise.
    /// </summary>
    public Tensor Perturb(Tensor images, Tensor? labels = null, Generator? generator = null) =>
        Run(images, labels, AttackNoise.FromGenerator(generator));

    /// <summary>
    /// As <see cref="Perturb(Tensor, Tensor?, Generator?)"/>, but each image's random start is seeded from
    /// (<paramref name="seed"/>, its row id), so an image is attacked the same way whatever batch it is in.
    /// </summary>
    public Tensor Perturb(Tensor images, Tensor? labels, ulong seed, IReadOnlyList<long> rowIds) =>
        Run(images, labels, AttackNoise.PerRow(seed, rowIds));

    /// <summary>
    /// The attack's math: from the clean <paramref name="images"/> (do not modify them), return the adversarial
    /// batch. Gradients come from <paramref name="objective"/>, random numbers from <paramref name="noise"/>.
    /// Runs in evaluation mode inside a dispose scope; the result is clamped to [0, 1] afterwards.
    /// </summary>
    protected abstract Tensor Craft(Tensor images, AttackObjective objective, AttackNoise noise);

    /// <summary>
    /// One iteration in its own dispose scope, so a step's graph and temporaries are freed at once rather than
    /// piling up until the batch ends; returns the new iterate and frees <paramref name="current"/> (so start from a
    /// copy or alias of the clean images, never the clean handle itself).
    /// </summary>
    protected static Tensor Iterate(Tensor current, Func<Tensor, Tensor> step)
    {
        Tensor next;
        using (torch.NewDisposeScope())
        {
            next = step(current).detach().MoveToOuterDisposeScope();
        }
        current.Dispose();
        return next;
    }

    /// <summary>Each image's L2 norm, shaped [N, 1, 1, 1] to broadcast over it.</summary>
    protected static Tensor L2Norms(Tensor batch)
    {
        using var flat = batch.flatten(1);
        using var norms = flat.norm(2, 1, keepdim: true);
        return norms.view(batch.size(0), 1, 1, 1);
    }

    private Tensor Run(Tensor images, Tensor? labels, AttackNoise noise)
    {
        Check(images, labels);
        using var evaluation = Model.EvaluationMode();
        using var scope = torch.NewDisposeScope();
        // Our own handle on the caller's images: iterations may free handles, never the caller's.
        var clean = images.detach();
        var targets = labels is null ? null : labels.dtype == ScalarType.Int64 ? labels.alias() : labels.to(ScalarType.Int64);
        var objective = new AttackObjective(Model, clean, targets, Targeted, Loss);
        var adversarial = Craft(clean, objective, noise);
        return adversarial.detach().clamp(0.0, 1.0).MoveToOuterDisposeScope();
    }

    private void Check(Tensor images, Tensor? labels)
    {
        var name = GetType().Name;
        if (images.ndim != 4 || images.dtype is not (ScalarType.Float32 or ScalarType.Float64))
        {
            throw new ArgumentException($"{name}: images must be a float batch [N, C, H, W] in [0, 1]; got {images.Describe()}", nameof(images));
        }
        var n = images.size(0);
        if (labels is not null && (labels.ndim != 1 || labels.size(0) != n || labels.dtype is ScalarType.Float32 or ScalarType.Float64))
        {
            throw new ArgumentException($"{name}: labels must be integer class indices [{n}]; got {labels.Describe()}", nameof(labels));
        }
        var needsLabels = Targeted || (Loss is null && Model.Output == ImageModelOutput.Logits);
        if (labels is null && needsLabels)
        {
            throw new ArgumentException(Targeted
                ? $"{name}: a targeted attack needs the target labels"
                : $"{name}: attacking a classifier needs the true labels (cross-entropy)", nameof(labels));
        }
        if (Targeted && Loss is null && Model.Output == ImageModelOutput.Embedding)
        {
            throw new NotSupportedException($"{name}: a targeted attack on an embedding model needs a Loss that says what the target means");
        }
        if (images.numel() == 0)
        {
            return;
        }
        using (torch.NewDisposeScope())
        using (torch.no_grad())
        {
            var (lo, hi) = (images.min().to(ScalarType.Float64).item<double>(), images.max().to(ScalarType.Float64).item<double>());
            // Catches normalised inputs: attack strength is defined in [0, 1] pixels, normalisation belongs in the model.
            if (lo < -1e-6 || hi > 1 + 1e-6)
            {
                throw new ArgumentException($"{name}: images must be in [0, 1] pixel space (normalisation belongs inside the model); got values in [{lo:G4}, {hi:G4}]", nameof(images));
            }
        }
    }
}
