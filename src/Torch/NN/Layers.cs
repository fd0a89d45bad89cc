namespace MlNetRobust.Torch.Modules;

/// <summary>2-D convolution over (N, C, H, W), as torch.nn.Conv2d (parameters "weight" and, optionally, "bias").</summary>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    public Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool bias = true)
    {
        (Stride, Padding, Dilation, Groups) = (stride, padding, dilation, groups);
        var fanIn = inChannels / groups * kernelSize * kernelSize;
        // PyTorch's default: kaiming_uniform(a=√5) for weights, which is U(-1/√fan_in, 1/√fan_in); same bound for bias.
        var bound = 1.0 / Math.Sqrt(fanIn);
        RegisterParameter("weight", Init.Uniform([outChannels, inChannels / groups, kernelSize, kernelSize], bound));
        RegisterParameter("bias", bias ? Init.Uniform([outChannels], bound) : null);
    }

    public long Stride { get; }
    public long Padding { get; }
    public long Dilation { get; }
    public long Groups { get; }

    public Tensor weight => GetParameter("weight")!;
    public Tensor? bias => GetParameter("bias");

    public override Tensor forward(Tensor input) =>
        torch.nn.functional.conv2d(input, weight, bias, Stride, Padding, Dilation, Groups);
}

/// <summary>Fully connected layer y = x Wᵀ + b, as torch.nn.Linear.</summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    public Linear(long inFeatures, long outFeatures, bool bias = true)
    {
        var bound = 1.0 / Math.Sqrt(inFeatures);
        RegisterParameter("weight", Init.Uniform([outFeatures, inFeatures], bound));
        RegisterParameter("bias", bias ? Init.Uniform([outFeatures], bound) : null);
    }

    public Tensor weight => GetParameter("weight")!;
    public Tensor? bias => GetParameter("bias");

    public override Tensor forward(Tensor input) => torch.nn.functional.linear(input, weight, bias);
}

/// <summary>
/// Batch normalisation over (N, C, H, W), as torch.nn.BatchNorm2d: parameters "weight", "bias"; buffers
/// "running_mean", "running_var", "num_batches_tracked" (int64, counted in training mode).
/// </summary>
public sealed class BatchNorm2d : Module<Tensor, Tensor>
{
    public BatchNorm2d(long features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool trackRunningStats = true)
    {
        (Eps, Momentum) = (eps, momentum);
        RegisterParameter("weight", affine ? torch.nn.Parameter(torch.ones([features])) : null);
        RegisterParameter("bias", affine ? torch.nn.Parameter(torch.zeros([features])) : null);
        RegisterBuffer("running_mean", trackRunningStats ? torch.zeros([features]) : null);
        RegisterBuffer("running_var", trackRunningStats ? torch.ones([features]) : null);
        RegisterBuffer("num_batches_tracked", trackRunningStats ? torch.zeros([], ScalarType.Int64) : null);
    }

    public double Eps { get; }
    public double Momentum { get; }

    public Tensor? weight => GetParameter("weight");
    public Tensor? bias => GetParameter("bias");
    public Tensor? running_mean => GetBuffer("running_mean");
    public Tensor? running_var => GetBuffer("running_var");
    public Tensor? num_batches_tracked => GetBuffer("num_batches_tracked");

    public override Tensor forward(Tensor input)
    {
        if (input.ndim != 4)
        {
            throw new ArgumentException($"BatchNorm2d expects (N, C, H, W) input, got {input.Describe()}", nameof(input));
        }
        // Without running statistics, batch statistics are used in eval mode too (as PyTorch does).
        var useBatchStats = training || running_mean is null;
        if (training && num_batches_tracked is { } count)
        {
            count.add_(1);
        }
        return torch.nn.functional.batch_norm(input, running_mean, running_var, weight, bias, useBatchStats, Momentum, Eps);
    }
}

public sealed class ReLU : Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.relu();
}

public sealed class MaxPool2d(long kernelSize, long? stride = null, long padding = 0) : Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => torch.nn.functional.max_pool2d(input, kernelSize, stride, padding);
}

public sealed class AdaptiveAvgPool2d(long outputHeight, long outputWidth) : Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => torch.nn.functional.adaptive_avg_pool2d(input, outputHeight, outputWidth);
}

public sealed class Dropout(double p = 0.5) : Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => torch.nn.functional.dropout(input, p, training);
}

public sealed class Flatten(long startDim = 1, long endDim = -1) : Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.flatten(startDim, endDim);
}

public sealed class Identity : Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.alias();
}

/// <summary>Runs its children in order; they are named "0", "1", … as in torch.nn.Sequential.</summary>
public sealed class Sequential : Module<Tensor, Tensor>
{
    private readonly List<Module<Tensor, Tensor>> _layers = new();

    public Sequential(params Module<Tensor, Tensor>[] layers)
    {
        foreach (var layer in layers)
        {
            Add(layer);
        }
    }

    public Sequential Add(Module<Tensor, Tensor> layer)
    {
        RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        _layers.Add(layer);
        return this;
    }

    public int Count => _layers.Count;

    public Module<Tensor, Tensor> this[int index] => _layers[index];

    public override Tensor forward(Tensor input)
    {
        // Intermediate activations are freed as soon as the next layer has consumed them; autograd keeps
        // what backward needs through its own references.
        var x = _layers.Count == 0 ? input.alias() : _layers[0].forward(input);
        for (var i = 1; i < _layers.Count; i++)
        {
            var next = _layers[i].forward(x);
            x.Dispose();
            x = next;
        }
        return x;
    }
}

/// <summary>Parameter initialisers drawing from libtorch's global generator (seed it with torch.manual_seed).</summary>
internal static class Init
{
    public static Tensor Uniform(long[] shape, double bound)
    {
        using var noGrad = torch.no_grad();
        return torch.nn.Parameter(torch.empty(shape).uniform_(-bound, bound));
    }
}
