using System.Globalization;
using MlNetRobust.Trainers.Classification;
using MlNetRobust.Trainers.Embedding;
using MlNetRobust.Trainers.Losses;
using MlNetRobust.Trainers.Training;

namespace MlNetRobust.Pipelines.Scenarios;

/// <summary>
/// A hyper-parameter a scenario lets a sweep change: its name (the CLI's <c>--param NAME=…</c>), the research's
/// default, the values it may take (bounds, whole numbers) and the values a sweep tries when none are given.
/// </summary>
public sealed record ScenarioParameter(
    string Name,
    string Description,
    double Default,
    double Min,
    double Max,
    bool MinInclusive,
    bool MaxInclusive,
    IReadOnlyList<double> SweepValues,
    bool Integer = false)
{
    /// <summary>Null when the value is allowed, else why not ("gamma must be greater than 0").</summary>
    public string? Check(double value)
    {
        if (!double.IsFinite(value))
        {
            return $"{Name} must be a finite number";
        }
        if (Integer && value != Math.Round(value))
        {
            return $"{Name} must be a whole number";
        }
        var aboveMin = MinInclusive ? value >= Min : value > Min;
        var belowMax = MaxInclusive ? value <= Max : value < Max;
        return aboveMin && belowMax ? null : $"{Name} must {Allowed()}";
    }

    /// <summary>"be greater than 0", "be at least 1", "lie in [0, 1)".</summary>
    private string Allowed()
    {
        if (double.IsPositiveInfinity(Max))
        {
            return MinInclusive ? $"be at least {Format(Min)}" : $"be greater than {Format(Min)}";
        }
        return $"lie in {(MinInclusive ? "[" : "(")}{Format(Min)}, {Format(Max)}{(MaxInclusive ? "]" : ")")}";
    }

    internal static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The parameters the research's scenarios expose to sweeps.</summary>
public static class ScenarioParameters
{
    public static readonly ScenarioParameter LearningRate = new("lr", "Adam learning rate", ImageTrainerOptions.Defaults.LearningRate,
        0, 10, MinInclusive: false, MaxInclusive: true, [1e-4, 3e-4, 1e-3, 3e-3]);

    public static readonly ScenarioParameter BatchSize = new("batch-size", "training batch size", ImageTrainerOptions.Defaults.BatchSize,
        1, double.PositiveInfinity, MinInclusive: true, MaxInclusive: false, [64, 128, 256], Integer: true);

    public static readonly ScenarioParameter FgsmEps = new("eps", "FGSM eps of the adversarial training batches (pixels in [0, 1])",
        AdversarialTrainer.Options.AttackDefaults.FgsmEps, 0, 1, MinInclusive: false, MaxInclusive: true, [0.005, 0.01, 0.02, 0.03]);

    public static readonly ScenarioParameter RandomStartEps = new("eps", "eps of the FGSM-from-a-random-start training batches (the step is 1.25·eps)",
        8 / 255.0, 0, 1, MinInclusive: false, MaxInclusive: true, [4 / 255.0, 6 / 255.0, 8 / 255.0, 10 / 255.0]);

    public static readonly ScenarioParameter PgdEps = new("pgd-eps", "PGD eps of the adversarial training batches (the step stays 0.007)",
        AdversarialTrainer.Options.AttackDefaults.PgdEps, 0, 1, MinInclusive: false, MaxInclusive: true, [0.01, 0.02, 0.03]);

    public static readonly ScenarioParameter Probability = new("probability", "chance that a training batch is replaced by adversarial examples",
        AdversarialTrainer.Options.AttackDefaults.Probability, 0, 1, MinInclusive: true, MaxInclusive: true, [0.3, 0.5, 0.7]);

    public static readonly ScenarioParameter AngularAlpha = new("alpha", "angular loss angle in degrees",
        AngularLoss.Defaults.AlphaDegrees, 0, 90, MinInclusive: false, MaxInclusive: false, [35, 40, 45, 50]);

    public static readonly ScenarioParameter CircleM = new("m", "circle loss relaxation margin",
        CircleLoss.Defaults.M, 0, 1, MinInclusive: true, MaxInclusive: false, [0.1, 0.25, 0.4]);

    public static readonly ScenarioParameter CircleGamma = new("gamma", "circle loss scale",
        CircleLoss.Defaults.Gamma, 0, double.PositiveInfinity, MinInclusive: false, MaxInclusive: false, [32, 64, 128, 256]);

    public static readonly ScenarioParameter PerClass = new("per-class", "images of each class in a metric-learning batch",
        AngularEmbeddingTrainer.Options.EmbeddingDefaults.MPerClass, 2, double.PositiveInfinity, MinInclusive: true, MaxInclusive: false, [13, 26, 39], Integer: true);
}
