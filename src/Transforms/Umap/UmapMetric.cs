namespace MlNetRobust.Transforms.Umap;

/// <summary>The distance UMAP measures between input embeddings.</summary>
public enum UmapMetric
{
    /// <summary>‖x − y‖₂.</summary>
    Euclidean,

    /// <summary>1 − cos(x, y), umap-learn's "cosine"; the usual choice for L2-normalised or angular-loss embeddings.</summary>
    Cosine,
}
