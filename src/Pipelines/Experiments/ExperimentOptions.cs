using MlNetRobust.Pipelines.Scenarios;

namespace MlNetRobust.Pipelines.Experiments;

/// <summary>What an experiment trains and evaluates. Defaults reproduce the research's setting on CIFAR-10.</summary>
public sealed record ExperimentOptions
{
    /// <summary>A folder with train/ and test/ class folders (CIFAR-10 JPGs); null finds ../shared/datasets/cifar10-jpg.</summary>
    public string? DataFolder { get; init; }

    /// <summary>Where every scenario's model, metrics and the report go; finished scenarios found here are skipped.</summary>
    public required string OutputFolder { get; init; }

    public IReadOnlyList<string> Scenarios { get; init; } = [ScenarioCatalog.BaselineCrossEntropy.Name];

    public TrainingSettings Training { get; init; } = new();

    /// <summary>Scenario parameters fixed for this experiment (see <see cref="ScenarioOverrides"/>); empty keeps the research defaults.</summary>
    public IReadOnlyDictionary<string, double> Parameters { get; init; } = new Dictionary<string, double>();

    /// <summary>Share of the training folder used for training (stratified); the rest is the validation pool.</summary>
    public double TrainFraction { get; init; } = 0.2;

    /// <summary>Cap on training images per class after the split (quick runs); null keeps them all.</summary>
    public int? TrainPerClass { get; init; }

    /// <summary>Validation images per class taken from the 80% pool, used after every epoch.</summary>
    public int ValidationPerClass { get; init; } = 100;

    /// <summary>Test images per class for clean/perturbed/FGSM evaluation; null uses the whole test folder.</summary>
    public int? TestPerClass { get; init; }

    /// <summary>Test images per class for the (slow) PGD evaluation; the same subset for every model.</summary>
    public int PgdPerClass { get; init; } = 100;

    /// <summary>Test images per class for the corruption benchmark (13 corruptions × 5 severities); 0 skips it.</summary>
    public int CorruptionPerClass { get; init; } = 50;

    /// <summary>Training images per class in each model's UMAP map (test: half as many); 0 skips the maps.</summary>
    public int UmapPerClass { get; init; } = 200;

    public IReadOnlyList<double> FgsmEps { get; init; } = [8 / 255.0, 0.01];

    public double PgdEps { get; init; } = 8 / 255.0;

    public int PgdSteps { get; init; } = 10;

    public int EvaluationBatchSize { get; init; } = 256;
}
