using MlNetRobust.Torch;
using MlNetRobust.Torch.Modules;

namespace MlNetRobust.Trainers.Models;

/// <summary>
/// Deep residual networks (He et al., 2016, https://arxiv.org/abs/1512.03385) with torchvision's exact
/// layout and parameter names (conv1, bn1, layer1.0.conv1, …, layer2.0.downsample.0, fc), so state dicts move
/// between this class and <c>torchvision.models.resnet18/34/50</c> in both directions.
///
/// Options beyond torchvision: the CIFAR stem (3×3 stride-1 conv1, no max-pool: the usual choice for 32×32
/// images, which the 7×7/2 stem + pool would shrink to 8×8 before layer1), and an optional embedding head
/// (<c>embedding</c>: Linear(features → dim)) whose output is L2-normalised for metric learning.
/// Input: [N, 3, H, W] float images, already normalised (the image model wrapping it adds the
/// normalisation step). Output of <see cref="forward"/>: logits [N, classes]; <see cref="Features"/> gives the
/// pooled backbone features [N, 512 (or 2048)].
/// Example: <c>using var net = ResNet.ResNet18(numClasses: 10, cifarStem: true);</c>
/// </summary>
public sealed class ResNet : Module<Tensor, Tensor>
{
    private readonly bool _cifarStem;

    /// <param name="width">Channels of the stem and layer1 (64 in torchvision; each later stage doubles it). Smaller
    /// widths make fast test models; only 64 matches torchvision's state dicts.</param>
    /// <param name="generator">
    /// Draws every initial weight when given (convolutions Kaiming-normal, linear layers PyTorch's uniform), so that
    /// the same seed gives the same network even while other threads use libtorch's global generator; null draws
    /// from the global generator, as torchvision after <c>torch.manual_seed</c>.
    /// </param>
    public ResNet(ResNetDepth depth, int numClasses = 1000, bool cifarStem = false, int? embeddingDim = null, int width = 64, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        (Depth, NumClasses, _cifarStem, EmbeddingDim, Width) = (depth, numClasses, cifarStem, embeddingDim, width);
        var (bottleneck, blocks) = depth switch
        {
            ResNetDepth.ResNet18 => (false, new[] { 2, 2, 2, 2 }),
            ResNetDepth.ResNet34 => (false, new[] { 3, 4, 6, 3 }),
            ResNetDepth.ResNet50 => (true, new[] { 3, 4, 6, 3 }),
            _ => throw new ArgumentOutOfRangeException(nameof(depth), depth, "unknown depth"),
        };
        var expansion = bottleneck ? 4 : 1;
        RegisterModule("conv1", cifarStem ? new Conv2d(3, width, 3, stride: 1, padding: 1, bias: false) : new Conv2d(3, width, 7, stride: 2, padding: 3, bias: false));
        RegisterModule("bn1", new BatchNorm2d(width));
        long inPlanes = width;
        for (var stage = 0; stage < 4; stage++)
        {
            var planes = (long)width << stage;
            var layer = new Sequential();
            for (var b = 0; b < blocks[stage]; b++)
            {
                var stride = b == 0 && stage > 0 ? 2 : 1;
                layer.Add(bottleneck ? new Bottleneck(inPlanes, planes, stride) : new BasicBlock(inPlanes, planes, stride));
                inPlanes = planes * expansion;
            }
            RegisterModule($"layer{stage + 1}", layer);
        }
        FeatureSize = (int)inPlanes;
        RegisterModule("fc", new Linear(inPlanes, numClasses));
        if (embeddingDim is { } dim)
        {
            RegisterModule("embedding", new Linear(inPlanes, dim));
        }
        InitializeLikeTorchvision(generator);
    }

    public static ResNet ResNet18(int numClasses = 1000, bool cifarStem = false, int? embeddingDim = null) => new(ResNetDepth.ResNet18, numClasses, cifarStem, embeddingDim);

    public static ResNet ResNet34(int numClasses = 1000, bool cifarStem = false, int? embeddingDim = null) => new(ResNetDepth.ResNet34, numClasses, cifarStem, embeddingDim);

    public static ResNet ResNet50(int numClasses = 1000, bool cifarStem = false, int? embeddingDim = null) => new(ResNetDepth.ResNet50, numClasses, cifarStem, embeddingDim);

    public ResNetDepth Depth { get; }

    public int Width { get; }

    public int NumClasses { get; }

    public int? EmbeddingDim { get; }

    /// <summary>Feature size of a ResNet of this depth and width, without building one.</summary>
    public static int FeatureSizeOf(ResNetDepth depth, int width = 64) => width * 8 * (depth == ResNetDepth.ResNet50 ? 4 : 1);

    /// <summary>Size of the pooled backbone features (512 for ResNet18/34, 2048 for ResNet50, at width 64).</summary>
    public int FeatureSize { get; }

    public bool CifarStem => _cifarStem;

    private Module<Tensor, Tensor> Child(string name) => (Module<Tensor, Tensor>)named_children().First(c => c.name == name).module;

    /// <summary>Pooled backbone features [N, FeatureSize].</summary>
    public Tensor Features(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        // Everything after the stem runs channels-last: oneDNN's own layout, a quarter faster CPU training steps (bench).
        // The image itself stays NCHW, so input gradients (attacks) come back contiguous.
        var h = Child("bn1").forward(Child("conv1").forward(x).contiguous(MemoryFormat.ChannelsLast)).relu_();
        if (!_cifarStem)
        {
            h = torch.nn.functional.max_pool2d(h, 3, 2, 1);
        }
        for (var stage = 1; stage <= 4; stage++)
        {
            h = Child($"layer{stage}").forward(h);
        }
        return torch.nn.functional.adaptive_avg_pool2d(h, 1, 1).flatten(1).MoveToOuterDisposeScope();
    }

    /// <summary>The L2-normalised embedding [N, EmbeddingDim] of pooled features.</summary>
    public Tensor Embed(Tensor features)
    {
        if (EmbeddingDim is null)
        {
            throw new InvalidOperationException("this ResNet has no embedding head (create it with embeddingDim)");
        }
        using var e = Child("embedding").forward(features);
        return torch.nn.functional.normalize(e, 2, 1);
    }

    /// <summary>Classifier logits from pooled features.</summary>
    public Tensor Classify(Tensor features) => Child("fc").forward(features);

    public override Tensor forward(Tensor input)
    {
        using var features = Features(input);
        return Classify(features);
    }

    /// <summary>torchvision's initialisation: Kaiming-normal (fan_out, ReLU) convolutions, BN weight 1 and bias 0.</summary>
    private void InitializeLikeTorchvision(Generator? generator)
    {
        using var noGrad = torch.no_grad();
        foreach (var (_, module) in named_modules())
        {
            if (module is Conv2d conv)
            {
                var w = conv.weight;
                var fanOut = w.size(0) * w.size(2) * w.size(3);
                w.normal_(0, Math.Sqrt(2.0 / fanOut), generator);
            }
            else if (module is Linear linear && generator is not null)
            {
                // nn.Linear's default U(-1/√fan_in, 1/√fan_in), redrawn from the generator.
                var bound = 1.0 / Math.Sqrt(linear.weight.size(1));
                linear.weight.uniform_(-bound, bound, generator);
                linear.bias?.uniform_(-bound, bound, generator);
            }
        }
    }
}

public enum ResNetDepth
{
    ResNet18,
    ResNet34,
    ResNet50,
}

/// <summary>Two 3×3 convolutions with a skip connection (ResNet18/34); names as torchvision's BasicBlock.</summary>
public sealed class BasicBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _bn2;
    private readonly Sequential? _downsample;

    public BasicBlock(long inPlanes, long planes, long stride)
    {
        _conv1 = RegisterModule("conv1", new Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(planes));
        _conv2 = RegisterModule("conv2", new Conv2d(planes, planes, 3, padding: 1, bias: false));
        _bn2 = RegisterModule("bn2", new BatchNorm2d(planes));
        if (stride != 1 || inPlanes != planes)
        {
            _downsample = RegisterModule("downsample", new Sequential(new Conv2d(inPlanes, planes, 1, stride: stride, bias: false), new BatchNorm2d(planes)));
        }
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var h = _bn1.forward(_conv1.forward(input)).relu_();
        h = _bn2.forward(_conv2.forward(h));
        var identity = _downsample?.forward(input) ?? input;
        return h.add_(identity).relu_().MoveToOuterDisposeScope();
    }
}

/// <summary>1×1 → 3×3 → 1×1 bottleneck with expansion 4 (ResNet50); stride on the 3×3 conv as torchvision (v1.5).</summary>
public sealed class Bottleneck : Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _bn2;
    private readonly Conv2d _conv3;
    private readonly BatchNorm2d _bn3;
    private readonly Sequential? _downsample;

    public Bottleneck(long inPlanes, long planes, long stride)
    {
        _conv1 = RegisterModule("conv1", new Conv2d(inPlanes, planes, 1, bias: false));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(planes));
        _conv2 = RegisterModule("conv2", new Conv2d(planes, planes, 3, stride: stride, padding: 1, bias: false));
        _bn2 = RegisterModule("bn2", new BatchNorm2d(planes));
        _conv3 = RegisterModule("conv3", new Conv2d(planes, planes * 4, 1, bias: false));
        _bn3 = RegisterModule("bn3", new BatchNorm2d(planes * 4));
        if (stride != 1 || inPlanes != planes * 4)
        {
            _downsample = RegisterModule("downsample", new Sequential(new Conv2d(inPlanes, planes * 4, 1, stride: stride, bias: false), new BatchNorm2d(planes * 4)));
        }
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var h = _bn1.forward(_conv1.forward(input)).relu_();
        h = _bn2.forward(_conv2.forward(h)).relu_();
        h = _bn3.forward(_conv3.forward(h));
        var identity = _downsample?.forward(input) ?? input;
        return h.add_(identity).relu_().MoveToOuterDisposeScope();
    }
}
