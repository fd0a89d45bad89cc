using MlNetRobust.Data;
using MlNetRobust.Trainers.Models;

namespace MlNetRobust.Trainers.Training;

public enum OptimizerKind
{
    Adam,
    AdamW,
    Sgd,
}

public enum SchedulerKind
{
    None,
    Step,
    Cosine,
    OneCycle,
}

/// <summary>
/// Options every image trainer shares. Defaults are the research's: ResNet18 with the CIFAR stem, Adam
/// lr 1e-3, batch 128, 15 epochs, StepLR step 10 gamma 0.5.
/// </summary>
public class ImageTrainerOptions
{
    public static class Defaults
    {
        public const int Epochs = 15;
        public const int BatchSize = 128;
        public const double LearningRate = 1e-3;
        public const int StepSize = 10;
        public const double Gamma = 0.5;
    }

    /// <summary>Float images [3, H, W] in [0, 1] (ExtractPixels' output).</summary>
    public string FeatureColumn { get; set; } = DefaultColumnNames.Features;

    public string LabelColumn { get; set; } = DefaultColumnNames.Label;

    public ResNetDepth Depth { get; set; } = ResNetDepth.ResNet18;

    /// <summary>Base channel width (64 = standard ResNet; small values make quick test models).</summary>
    public int Width { get; set; } = 64;

    /// <summary>3×3 stride-1 stem without max-pool, for 32×32 images.</summary>
    public bool CifarStem { get; set; } = true;

    public int Epochs { get; set; } = Defaults.Epochs;

    public int BatchSize { get; set; } = Defaults.BatchSize;

    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

    public double LearningRate { get; set; } = Defaults.LearningRate;

    public double WeightDecay { get; set; }

    /// <summary>SGD momentum (Nesterov when <see cref="Nesterov"/>).</summary>
    public double Momentum { get; set; } = 0.9;

    public bool Nesterov { get; set; }

    public SchedulerKind Scheduler { get; set; } = SchedulerKind.Step;

    /// <summary>StepLR: epochs between decays.</summary>
    public int StepSize { get; set; } = Defaults.StepSize;

    /// <summary>StepLR: decay factor.</summary>
    public double Gamma { get; set; } = Defaults.Gamma;

    /// <summary>Standard CIFAR augmentation: pad-4 random crop and horizontal flip, re-drawn every epoch.</summary>
    public bool Augment { get; set; } = true;

    /// <summary>
    /// Extra perturbations applied to training batches after the standard augmentation, re-drawn every epoch
    /// ("perturbation training", e.g. noise, jitter and rotation each with p = 0.3).
    /// </summary>
    public Transforms.Perturbations.IImagePerturbation? Perturbation { get; set; }

    /// <summary>Data to validate on after every epoch (e.g. a stratified subset of the 80% split).</summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>Keep the weights of the epoch with the best validation accuracy (needs validation data).</summary>
    public bool RestoreBestWeights { get; set; } = true;

    /// <summary>Stop when validation accuracy has not improved for this many epochs.</summary>
    public int? EarlyStoppingPatience { get; set; }

    /// <summary>Folder for the atomic per-epoch checkpoint; an interrupted run with the same options resumes from it.</summary>
    public string? CheckpointFolder { get; set; }

    /// <summary>Seed for initialisation, data order, augmentation and attacks; null draws one from the context.</summary>
    public int? Seed { get; set; }

    /// <summary>Overrides the normalisation found in the feature column's annotations.</summary>
    public float[]? Mean { get; set; }

    public float[]? Std { get; set; }

    /// <summary>Receives per-batch and per-epoch progress.</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>Read the whole training set into memory once (fast); otherwise batches are read from the view each time.</summary>
    public bool CacheTrainingData { get; set; } = true;

    /// <summary>
    /// The fingerprint these options would have with another epoch count: a finished shorter run with otherwise equal
    /// options is the same run stopped earlier, so its checkpoint can be extended (successive-halving sweeps promote
    /// trials this way).
    /// </summary>
    internal string FingerprintWithEpochs(int epochs)
    {
        var own = Epochs;
        Epochs = epochs;
        try
        {
            return Fingerprint();
        }
        finally
        {
            Epochs = own;
        }
    }

    /// <summary>A string identifying the options that change results, so a checkpoint from other options is not resumed.</summary>
    internal virtual string Fingerprint() =>
        $"{Depth}|{Width}|{CifarStem}|{Epochs}|{BatchSize}|{Optimizer}|{LearningRate}|{WeightDecay}|{Momentum}|{Nesterov}|{Scheduler}|{StepSize}|{Gamma}|{Augment}{(Perturbation is null ? "" : $"|{Perturbation}")}|{Seed}";
}
