namespace MlNetRobust.Reporting.Images;

/// <summary>One column of a <see cref="SampleGrid"/>: the same samples in one version (clean,
/// perturbed, adversarial), in the same order as the reference.</summary>
public sealed record ImageVariant(string Name, ImageBatch Images)
{
    /// <summary>Adds a column after this one showing |this − reference| × gain; ignored for the reference.</summary>
    public bool ShowDifference { get; init; } = true;
}
