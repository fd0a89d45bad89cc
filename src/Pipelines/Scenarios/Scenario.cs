using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Trainers.Classification;
using MlNetRobust.Trainers.Training;

namespace MlNetRobust.Pipelines.Scenarios;

/// <summary>
/// A named training recipe from the research, built only from the public catalogs: given the context, the
/// shared training settings and the validation data, it returns the trainer estimator to fit.
/// </summary>
public sealed record Scenario(string Name, string Description, Func<ScenarioContext, IEstimator<ImageModelTransformer>> CreateTrainer)
{
    /// <summary>The hyper-parameters a sweep may change (<see cref="ScenarioContext.Parameters"/>).</summary>
    public IReadOnlyList<ScenarioParameter> Parameters { get; init; } = [ScenarioParameters.LearningRate];

    /// <summary>The names of the parameters a sweep varies when it is not told which.</summary>
    public IReadOnlyList<string> DefaultSweep { get; init; } = [ScenarioParameters.LearningRate.Name];

    /// <summary>The parameter called <paramref name="name"/> (case-insensitive), or null.</summary>
    public ScenarioParameter? FindParameter(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// What a scenario gets to build its trainer: the context, the settings an experiment shares and, in a sweep, the
/// values of the scenario's parameters for this trial (missing ones keep their defaults).
/// </summary>
public sealed record ScenarioContext(RobustContext Context, TrainingSettings Settings, IDataView? Validation, string CheckpointFolder, IProgress<TrainingProgress>? Progress,
    IReadOnlyDictionary<string, double>? Parameters = null)
{
    /// <summary>The trial's value of <paramref name="parameter"/>, or its default.</summary>
    public double Get(ScenarioParameter parameter) =>
        Parameters is not null && Parameters.TryGetValue(parameter.Name, out var value) ? value : parameter.Default;

    /// <summary>Copies the shared settings (and a swept learning rate or batch size) onto a trainer's options.</summary>
    public T Apply<T>(T options) where T : ImageTrainerOptions
    {
        options.Epochs = Settings.Epochs;
        options.BatchSize = Parameters?.TryGetValue(ScenarioParameters.BatchSize.Name, out var batch) == true ? (int)batch : Settings.BatchSize;
        options.LearningRate = Parameters?.TryGetValue(ScenarioParameters.LearningRate.Name, out var lr) == true ? lr : Settings.LearningRate;
        options.Scheduler = Settings.Scheduler;
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

    /// <summary>Learning-rate schedule: the research's StepLR, or cosine annealing / one-cycle over all epochs.</summary>
    [JsonConverter(typeof(SchedulerNameConverter))]
    public SchedulerKind Scheduler { get; init; } = SchedulerKind.Step;

    public int StepSize { get; init; } = ImageTrainerOptions.Defaults.StepSize;
    public double Gamma { get; init; } = ImageTrainerOptions.Defaults.Gamma;
    public int Width { get; init; } = 64;
    public Trainers.Models.ResNetDepth Depth { get; init; } = Trainers.Models.ResNetDepth.ResNet18;
    public int Seed { get; init; } = 42;
}

/// <summary>Writes a schedule as run.json's other names are written: "step", "cosine", "one_cycle" (reading ignores case).</summary>
public sealed class SchedulerNameConverter() : JsonStringEnumConverter<SchedulerKind>(JsonNamingPolicy.SnakeCaseLower);
