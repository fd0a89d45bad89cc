using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Sampling;

/// <summary>
/// Per-class weights for imbalanced data, "balanced" as scikit-learn's <c>compute_class_weight</c>:
/// w_c = n_samples / (n_classes × count_c), so every class carries the same total weight (n_samples / n_classes)
/// and the weights average to 1 over the rows. n_classes counts the classes that have rows; a class with none
/// gets weight 0 (it cannot be drawn, and scikit-learn refuses it outright).
/// Use them in a weighted loss (<see cref="ToTensor"/> for cross_entropy's weight) or a <see cref="WeightedRandomSampler"/>.
/// </summary>
public sealed class ClassWeights
{
    public ClassWeights(IReadOnlyList<string> classNames, IReadOnlyList<long> counts, IReadOnlyList<double> weights)
    {
        if (classNames.Count != counts.Count || counts.Count != weights.Count)
        {
            throw new ArgumentException($"{classNames.Count} names, {counts.Count} counts and {weights.Count} weights: one of each per class expected");
        }
        (ClassNames, Counts, Weights) = (classNames, counts, weights);
    }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Rows per class.</summary>
    public IReadOnlyList<long> Counts { get; }

    public IReadOnlyList<double> Weights { get; }

    public double this[int label] => Weights[label];

    /// <summary>Balanced weights from class counts.</summary>
    public static ClassWeights Balanced(IReadOnlyList<string> classNames, IReadOnlyList<long> counts)
    {
        var total = counts.Sum();
        var present = counts.Count(c => c > 0);
        var weights = counts.Select(c => c > 0 ? (double)total / (present * c) : 0.0).ToArray();
        return new ClassWeights(classNames, counts, weights);
    }

    public static ClassWeights Balanced(ClassIndex index) =>
        Balanced(index.ClassNames, index.RowsByClass.Select(r => (long)r.Length).ToArray());

    /// <summary>The weights as a float32 tensor [classes], e.g. for <c>cross_entropy(weight: …)</c>. The caller disposes it.</summary>
    public Tensor ToTensor() => torch.tensor(Weights.Select(w => (float)w).ToArray());

    public override string ToString() =>
        string.Join(", ", ClassNames.Select((name, i) => $"{name}: {Weights[i]:0.####} ({Counts[i]} rows)"));
}
