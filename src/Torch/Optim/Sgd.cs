namespace MlNetRobust.Torch.Optimizers;

/// <summary>
/// Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay — torch.optim.SGD's
/// exact update: g ← g + wd·p; b ← μ·b + (1−τ)·g (b ← g on the first step); g ← g + μ·b (Nesterov) or b; p ← p − lr·g.
/// </summary>
public sealed class SGD : Optimizer
{
    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, lr)
    {
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
        (Momentum, Dampening, WeightDecay, Nesterov) = (momentum, dampening, weightDecay, nesterov);
    }

    public double Momentum { get; }
    public double Dampening { get; }
    public double WeightDecay { get; }
    public bool Nesterov { get; }

    protected override void Update(int index, Tensor parameter, Tensor grad)
    {
        var g = WeightDecay != 0 ? grad.add(parameter, WeightDecay) : grad;
        if (Momentum != 0)
        {
            var first = !HasState(index, "momentum_buffer");
            var buffer = State(index, "momentum_buffer", () => g.clone());
            if (!first)
            {
                buffer.mul_(Momentum).add_(g, 1 - Dampening);
            }
            g = Nesterov ? g.add(buffer, Momentum) : buffer;
        }
        parameter.sub_(g, LearningRate);
    }
}
