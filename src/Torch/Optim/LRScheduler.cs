namespace MlNetRobust.Torch.Optimizers;

/// <summary>
/// Sets an optimiser's learning rate from a step count, as torch.optim.lr_scheduler: call <see cref="step"/>
/// once per epoch (StepLR, CosineAnnealingLR) or once per batch (OneCycleLR). Closed forms, so a scheduler
/// resumed at step k gives exactly the rate of an uninterrupted run.
/// </summary>
public abstract class LRScheduler
{
    protected LRScheduler(Optimizer optimizer)
    {
        Optimizer = optimizer;
        BaseLearningRate = optimizer.InitialLearningRate;
        optimizer.LearningRate = RateAt(0);
    }

    public Optimizer Optimizer { get; }

    public double BaseLearningRate { get; protected init; }

    /// <summary>Steps taken so far (epochs or batches, depending on the scheduler).</summary>
    public long LastStep { get; private set; }

    public virtual void step()
    {
        LastStep++;
        Optimizer.LearningRate = RateAt(LastStep);
    }

    /// <summary>Restores the position of a checkpointed run.</summary>
    public void SetStep(long step)
    {
        LastStep = step;
        Optimizer.LearningRate = RateAt(step);
    }

    public abstract double RateAt(long step);
}

/// <summary>lr = base · γ^⌊step / stepSize⌋.</summary>
public sealed class StepLR : LRScheduler
{
    public StepLR(Optimizer optimizer, long stepSize, double gamma = 0.1) : base(Validate(optimizer, stepSize)) =>
        (StepSize, Gamma) = (stepSize, gamma);

    public long StepSize { get; }
    public double Gamma { get; }

    // The base constructor asks for RateAt(0) before the fields are set; at step 0 the rate is the base rate.
    public override double RateAt(long step) => StepSize == 0 ? BaseLearningRate : BaseLearningRate * Math.Pow(Gamma, step / StepSize);

    private static Optimizer Validate(Optimizer o, long stepSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        return o;
    }
}

/// <summary>lr = η_min + (base − η_min)(1 + cos(π·step/T_max))/2.</summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    public CosineAnnealingLR(Optimizer optimizer, long tMax, double etaMin = 0) : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tMax, 1);
        (TMax, EtaMin) = (tMax, etaMin);
        optimizer.LearningRate = RateAt(0);
    }

    public long TMax { get; }
    public double EtaMin { get; }

    public override double RateAt(long step) =>
        TMax == 0 ? BaseLearningRate : EtaMin + (BaseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * step / TMax)) / 2;
}

/// <summary>
/// The 1cycle policy (Smith &amp; Topin, 2017, https://arxiv.org/abs/1708.07120) as torch's OneCycleLR with
/// cosine annealing: from maxLr/divFactor up to maxLr over pctStart of the steps, then down to
/// maxLr/(divFactor·finalDivFactor). With an Adam optimiser β₁ cycles inversely between 0.95 and 0.85, as PyTorch's
/// cycle_momentum does.
/// </summary>
public sealed class OneCycleLR : LRScheduler
{
    public OneCycleLR(Optimizer optimizer, double maxLr, long totalSteps, double pctStart = 0.3, double divFactor = 25,
        double finalDivFactor = 1e4, double baseMomentum = 0.85, double maxMomentum = 0.95) : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 2);
        if (pctStart is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "pctStart must be in (0, 1)");
        }
        (MaxLearningRate, TotalSteps, PctStart) = (maxLr, totalSteps, pctStart);
        InitialRate = maxLr / divFactor;
        MinRate = InitialRate / finalDivFactor;
        (BaseMomentum, MaxMomentum) = (baseMomentum, maxMomentum);
        optimizer.LearningRate = RateAt(0);
        ApplyMomentum(0);
    }

    public double MaxLearningRate { get; }
    public long TotalSteps { get; }
    public double PctStart { get; }
    private double InitialRate { get; }
    private double MinRate { get; }
    private double BaseMomentum { get; }
    private double MaxMomentum { get; }

    private double PhaseEnd => PctStart * TotalSteps - 1;

    public override double RateAt(long step)
    {
        if (TotalSteps == 0)
        {
            return BaseLearningRate;
        }
        return step <= PhaseEnd
            ? Anneal(InitialRate, MaxLearningRate, step / PhaseEnd)
            : Anneal(MaxLearningRate, MinRate, (step - PhaseEnd) / (TotalSteps - 1 - PhaseEnd));
    }

    /// <summary>Advances one batch and cycles Adam's β₁.</summary>
    public override void step()
    {
        base.step();
        ApplyMomentum(LastStep);
    }

    private void ApplyMomentum(long step)
    {
        if (Optimizer is Adam adam)
        {
            adam.Beta1 = step <= PhaseEnd
                ? Anneal(MaxMomentum, BaseMomentum, step / PhaseEnd)
                : Anneal(BaseMomentum, MaxMomentum, (step - PhaseEnd) / (TotalSteps - 1 - PhaseEnd));
        }
    }

    private static double Anneal(double start, double end, double pct) => end + (start - end) / 2 * (Math.Cos(Math.PI * pct) + 1);
}
