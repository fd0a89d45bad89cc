namespace MlNetRobust.Torch.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015, https://arxiv.org/abs/1412.6980) and, with <c>decoupled</c>, AdamW
/// (Loshchilov &amp; Hutter, 2019, https://arxiv.org/abs/1711.05101), with torch.optim's exact update:
/// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
/// Adam adds wd·p to g (L2); AdamW multiplies p by (1 − lr·wd) instead.
/// </summary>
public class Adam : Optimizer
{
    private readonly bool _decoupled;

    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : this(parameters, lr, beta1, beta2, eps, weightDecay, decoupled: false) { }

    protected Adam(IEnumerable<Tensor> parameters, double lr, double beta1, double beta2, double eps, double weightDecay, bool decoupled)
        : base(parameters, lr)
    {
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), $"betas must be in [0, 1), got ({beta1}, {beta2})");
        }
        (Beta1, Beta2, Eps, WeightDecay, _decoupled) = (beta1, beta2, eps, weightDecay, decoupled);
    }

    public double Beta1 { get; set; }
    public double Beta2 { get; }
    public double Eps { get; }
    public double WeightDecay { get; }

    protected override void Update(int index, Tensor parameter, Tensor grad)
    {
        if (WeightDecay != 0)
        {
            if (_decoupled)
            {
                parameter.mul_(1 - LearningRate * WeightDecay);
            }
            else
            {
                grad = grad.add(parameter, WeightDecay);
            }
        }
        var m = State(index, "exp_avg", () => torch.zeros_like(parameter));
        var v = State(index, "exp_avg_sq", () => torch.zeros_like(parameter));
        m.lerp_(grad, 1 - Beta1);
        v.mul_(Beta2).addcmul_(grad, grad, 1 - Beta2);
        var t = (double)StepCount;
        var biasCorrection1 = 1 - Math.Pow(Beta1, t);
        var biasCorrection2 = 1 - Math.Pow(Beta2, t);
        var denom = v.sqrt().div_(Math.Sqrt(biasCorrection2)).add_(Eps);
        parameter.addcdiv_(m, denom, -LearningRate / biasCorrection1);
    }
}

/// <summary>Adam with decoupled weight decay (torch.optim.AdamW; default weight decay 0.01 as there).</summary>
public sealed class AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
    : Adam(parameters, lr, beta1, beta2, eps, weightDecay, decoupled: true);
