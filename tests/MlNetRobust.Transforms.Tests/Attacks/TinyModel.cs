using MlNetRobust.Models;
using MlNetRobust.Torch;
using MlNetRobust.Torch.Modules;

namespace MlNetRobust.Transforms.Tests.Attacks;

/// <summary>
/// A tiny differentiable image model for attack tests: BatchNorm2d over the channels (to catch crafting in training
/// mode), then a linear layer over the flattened image. Its parameters and BN running statistics are set to known,
/// non-trivial values so a plain-loop reference can recompute its gradient. Records the mode of every forward pass.
/// </summary>
internal sealed class TinyModel : IImageModel, IDisposable
{
    public TinyModel(int channels, int height, int width, int outputs, ImageModelOutput output = ImageModelOutput.Logits, ulong seed = 1)
    {
        (Channels, Height, Width, Output, OutputSize) = (channels, height, width, output, outputs);
        Net = new Sequential(new BatchNorm2d(channels), new Flatten(), new Linear(channels * height * width, outputs));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using var gen = new Generator(seed);
        Bn.running_mean!.copy_(torch.rand([channels], gen).sub(0.5).mul(0.4));
        Bn.running_var!.copy_(torch.rand([channels], gen).mul(1.5).add(0.5));
        Bn.weight!.copy_(torch.rand([channels], gen).add(0.5));
        Bn.bias!.copy_(torch.rand([channels], gen).sub(0.5).mul(0.2));
        Fc.weight.copy_(torch.randn(Fc.weight.shape, gen));
        Fc.bias!.copy_(torch.randn([outputs], gen).mul(0.1));
        Net.train();
    }

    public Sequential Net { get; }

    public BatchNorm2d Bn => (BatchNorm2d)Net[0];

    public Linear Fc => (Linear)Net[2];

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public ImageModelOutput Output { get; }

    public int OutputSize { get; }

    /// <summary>Net.training at each forward pass.</summary>
    public List<bool> ModesSeen { get; } = [];

    public Tensor Forward(Tensor images)
    {
        ModesSeen.Add(Net.training);
        return Net.forward(images);
    }

    public IDisposable EvaluationMode()
    {
        var wasTraining = Net.training;
        Net.eval();
        return new Restore(() => Net.train(wasTraining));
    }

    /// <summary>Per-image cross-entropy in evaluation mode, [N] as doubles.</summary>
    public double[] CrossEntropy(Tensor images, Tensor labels)
    {
        using var eval = EvaluationMode();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        return torch.nn.functional.cross_entropy(Net.forward(images), labels, reduction: Reduction.None).to(ScalarType.Float64).data<double>();
    }

    /// <summary>Per-image 1 − cos(f(a), f(b)) in evaluation mode.</summary>
    public double[] CosineDistance(Tensor a, Tensor b)
    {
        using var eval = EvaluationMode();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var fa = torch.nn.functional.normalize(Net.forward(a));
        var fb = torch.nn.functional.normalize(Net.forward(b));
        return fa.mul(fb).sum(1).neg().add(1.0).to(ScalarType.Float64).data<double>();
    }

    public void Dispose() => Net.Dispose();

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
