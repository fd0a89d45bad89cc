using System.Text.Json;
using MlNetRobust.Pipelines.Experiments;
using MlNetRobust.Pipelines.Scenarios;
using MlNetRobust.Pipelines.Sweeps;
using MlNetRobust.Trainers.Classification;
using MlNetRobust.Trainers.Embedding;
using MlNetRobust.Trainers.Training;

namespace MlNetRobust.Pipelines.Tests;

/// <summary>The learning-rate schedule chosen for an experiment: it reaches every trainer, run.json names it, sweeps tell it apart.</summary>
public sealed class TrainingScheduleTests
{
    [Theory]
    [InlineData(SchedulerKind.Step)]
    [InlineData(SchedulerKind.Cosine)]
    [InlineData(SchedulerKind.OneCycle)]
    public void The_schedule_reaches_classifier_and_embedding_trainers(SchedulerKind kind)
    {
        var ctx = new RobustContext(seed: 1);
        var scenario = new ScenarioContext(ctx, new TrainingSettings { Scheduler = kind }, null, "checkpoint", null);
        Assert.Equal(kind, ((AdversarialTrainer)ScenarioCatalog.FgsmRandomStartAdversarial.CreateTrainer(scenario)).TrainerOptions.Scheduler);
        Assert.Equal(kind, ((AngularEmbeddingTrainer)ScenarioCatalog.Angular.CreateTrainer(scenario)).TrainerOptions.Scheduler);
    }

    [Fact]
    public void The_research_step_schedule_is_the_default()
    {
        Assert.Equal(SchedulerKind.Step, new TrainingSettings().Scheduler);
    }

    [Theory]
    [InlineData(SchedulerKind.Step, "step")]
    [InlineData(SchedulerKind.Cosine, "cosine")]
    [InlineData(SchedulerKind.OneCycle, "one_cycle")]
    public void Run_records_name_the_schedule_in_words_and_read_back(SchedulerKind kind, string name)
    {
        var json = JsonSerializer.Serialize(new TrainingSettings { Scheduler = kind }, ExperimentRunner.Json);
        Assert.Equal(name, JsonDocument.Parse(json).RootElement.GetProperty("scheduler").GetString());
        Assert.Equal(kind, JsonSerializer.Deserialize<TrainingSettings>(json, ExperimentRunner.Json)!.Scheduler);
    }

    [Fact]
    public void A_run_record_from_before_schedules_reads_as_step()
    {
        var settings = JsonSerializer.Deserialize<TrainingSettings>("""{"epochs": 15, "learning_rate": 0.001, "step_size": 10}""", ExperimentRunner.Json)!;
        Assert.Equal(SchedulerKind.Step, settings.Scheduler);
        Assert.Equal(15, settings.Epochs);
    }

    [Fact]
    public void A_sweep_names_its_schedule_only_when_it_is_not_the_research_step()
    {
        var ctx = new RobustContext(seed: 1);
        ExperimentOptions Options(SchedulerKind kind) => new() { DataFolder = "/data", OutputFolder = "/out", Scenarios = ["circle"], Training = new TrainingSettings { Scheduler = kind } };
        using var step = new ScenarioObjective(ctx, ScenarioCatalog.Circle, Options(SchedulerKind.Step));
        using var cosine = new ScenarioObjective(ctx, ScenarioCatalog.Circle, Options(SchedulerKind.Cosine));
        Assert.False(step.Identity.ContainsKey("scheduler")); // logs written before schedules were selectable stay valid
        Assert.Equal("cosine", cosine.Identity["scheduler"]);
        Assert.Equal(step.Identity.Count + 1, cosine.Identity.Count);
    }
}
