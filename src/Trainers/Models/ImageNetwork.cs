using MlNetRobust.Models;
using MlNetRobust.Torch;

namespace MlNetRobust.Trainers.Models;

/// <summary>
/// A ResNet with its input step: images in [0, 1] are normalised by the per-channel mean and std inside the
/// model, so attacks and perturbations work in pixel space and clamp to valid images, and inference on
/// another machine applies exactly the normalisation training used.
/// </summary>
public sealed class ImageNetwork : IImageModel, IDisposable
{
    private readonly Tensor _mean;
    private readonly Tensor _std;

    public ImageNetwork(ResNet net, IReadOnlyList<float> mean, IReadOnlyList<float> std, ImageModelOutput output)
    {
        if (mean.Count != 3 || std.Count != 3 || std.Any(s => s <= 0))
        {
            throw new ArgumentException($"normalisation needs 3 means and 3 positive stds, got mean [{string.Join(", ", mean)}], std [{string.Join(", ", std)}]");
        }
        if (output == ImageModelOutput.Embedding && net.EmbeddingDim is null)
        {
            throw new ArgumentException("an embedding model needs a ResNet with an embedding head");
        }
        (Net, Mean, Std, Output) = (net, mean.ToArray(), std.ToArray(), output);
        _mean = torch.tensor(Mean, 1, 3, 1, 1).DetachFromDisposeScope();
        _std = torch.tensor(Std, 1, 3, 1, 1).DetachFromDisposeScope();
    }

    public ResNet Net { get; }

    public float[] Mean { get; }

    public float[] Std { get; }

    public ImageModelOutput Output { get; }

    public int OutputSize => Output == ImageModelOutput.Logits ? Net.NumClasses : Net.EmbeddingDim!.Value;

    public Tensor Normalize(Tensor images) => images.sub(_mean).div_(_std);

    /// <summary>Pooled backbone features [N, 512] of images in [0, 1].</summary>
    public Tensor Features(Tensor images)
    {
        using var x = Normalize(images);
        return Net.Features(x);
    }

    public Tensor Forward(Tensor images)
    {
        using var features = Features(images);
        return Output == ImageModelOutput.Logits ? Net.Classify(features) : Net.Embed(features);
    }

    public IDisposable EvaluationMode() => new ModeScope(this, training: false);

    /// <summary>Switches to training mode until disposed.</summary>
    public IDisposable TrainingMode() => new ModeScope(this, training: true);

    public void Dispose()
    {
        Net.Dispose();
        _mean.Dispose();
        _std.Dispose();
    }

    private sealed class ModeScope : IDisposable
    {
        private readonly ImageNetwork _owner;
        private readonly bool _previous;
        private bool _disposed;

        public ModeScope(ImageNetwork owner, bool training)
        {
            _owner = owner;
            _previous = owner.Net.training;
            owner.Net.train(training);
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                _owner.Net.train(_previous);
            }
        }
    }
}
