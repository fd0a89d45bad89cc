using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Trainers.Classification;
using MlNetRobust.Trainers.Training;

namespace MlNetRobust.Pipelines.Scenarios;

/// <summary>
/// A named training recipe from the research, built only from the public catalogs: given the context, the
/// shared training settings and the validation data, it returns the trainer estimator to fit.
/// </summary>
public sealed record Scenario(string Name, string Description, Func<ScenarioContext, IEstimator<ImageModelTransformer>> CreateTrainer);

/// <summary>What a scenario gets to build its trainer: the context and the settings an experiment shares.</summary>
public sealed record ScenarioContext(RobustContext Context, TrainingSettings Settings, IDataView? Validation, string CheckpointFolder, IProgress<TrainingProgress>? Progress)
{
    /// <summary>Copies the shared settings onto a trainer's options.</summary>
    public T Apply<T>(T options) where T : ImageTrainerOptions
    {
        options.Epochs = Settings.Epochs;
        options.BatchSize = Settings.BatchSize;
        options.LearningRate = Settings.LearningRate;
        options.StepSize = Settings.StepSize;
        options.Gamma = Settings.Gamma;
        options.Width = Settings.Width;
        options.Depth = Settings.Depth;
        options.Seed = Settings.Seed;
        options.ValidationData = Validation;
        options.CheckpointFolder = CheckpointFolder;
        options.Progress = Progress;
        return options;
    }
}

/// <summary>Training settings shared by every scenario of an experiment (research defaults).</summary>
public sealed record TrainingSettings
{
    public int Epochs { get; init; } = ImageTrainerOptions.Defaults.Epochs;
    public int BatchSize { get; init; } = ImageTrainerOptions.Defaults.BatchSize;
    public double LearningRate { get; init; } = ImageTrainerOptions.Defaults.LearningRate;
    public int StepSize { get; init; } = ImageTrainerOptions.Defaults.StepSize;
    public double Gamma { get; init; } = ImageTrainerOptions.Defaults.Gamma;
    public int Width { get; init; } = 64;
    public Trainers.Models.ResNetDepth Depth { get; init; } = Trainers.Models.ResNetDepth.ResNet18;
    public int Seed { get; init; } = 42;
}
