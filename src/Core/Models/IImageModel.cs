using MlNetRobust.Torch;

namespace MlNetRobust.Models;

/// <summary>What a model's forward pass produces.</summary>
public enum ImageModelOutput
{
    /// <summary>Class scores before softmax, [N, classes].</summary>
    Logits,

    /// <summary>An embedding, [N, dim] (L2-normalised for the angular losses).</summary>
    Embedding,
}

/// <summary>
/// A differentiable image model as attacks and evaluators see it: images in [0, 1] pixel space go in
/// (normalisation lives inside the model), logits or embeddings come out. Implemented by the trainers'
/// fitted models; attacks use it to take gradients with respect to the input.
/// </summary>
public interface IImageModel
{
    ImageModelOutput Output { get; }

    /// <summary>Number of classes for logits; embedding size for embeddings.</summary>
    int OutputSize { get; }

    /// <summary>Forward pass on a batch [N, 3, H, W] of float images in [0, 1].</summary>
    Tensor Forward(Tensor images);

    /// <summary>
    /// Switches to evaluation mode (batch norm uses running statistics, dropout off) until disposed, then
    /// restores the previous mode — attacks must never be crafted in training mode.
    /// </summary>
    IDisposable EvaluationMode();
}
