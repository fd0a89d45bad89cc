using System.Globalization;
using MlNetRobust.Pipelines.Experiments;
using MlNetRobust.Pipelines.Scenarios;
using MlNetRobust.Trainers.Training;

namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>The number a scenario sweep maximises, measured on the validation slice (never the test set).</summary>
public enum SweepMetric
{
    /// <summary>Clean accuracy of the model's own head: the classifier, or the KNN head for metric-learning models.</summary>
    Accuracy,

    /// <summary>Accuracy under FGSM (white-box against the model's output), for robustness sweeps such as attack eps.</summary>
    Fgsm,

    /// <summary>The mean of the two: robustness without giving up clean accuracy.</summary>
    Mean,
}

/// <summary>
/// A sweep objective that trains a scenario with the trial's parameters on the experiment's training slice and scores
/// it on the validation slice (stratified from the 80% pool, so the test set stays untouched by tuning): clean and
/// FGSM accuracy of the model's head — its classifier, or a KNN head (k = 3) on its embeddings for metric-learning
/// scenarios. Every trial uses the same seed, so trials differ only by their parameters. A trial checkpoints every
/// epoch in its folder: an interrupted trial resumes, and successive halving's promoted trials continue from their
/// shorter run. A checkpoint is deleted once no later rung can need it (halving's demoted trials: when the sweep
/// completes). Data is loaded at the first trial, so a sweep refused for its log never reads images. A diverging
/// trial is recorded as failed and the sweep goes on.
/// </summary>
public sealed class ScenarioObjective(RobustContext context, Scenario scenario, ExperimentOptions data,
    SweepMetric metric = SweepMetric.Accuracy, double fgsmEps = ScenarioObjective.Defaults.FgsmEps) : ISweepObjective, IDisposable
{
    public static class Defaults
    {
        public const double FgsmEps = 8 / 255.0;
    }

    public const string AccuracyMetric = "accuracy";
    public const string KnnAccuracyMetric = "knn_accuracy";

    private ExperimentData? _data;

    public Scenario Scenario { get; } = scenario;

    public SweepMetric Metric { get; } = metric;

    /// <summary>"fgsm_8/255": the name of the FGSM accuracy among the trial's metrics.</summary>
    public string FgsmMetric { get; } = $"fgsm_{ScenarioEvaluator.EpsName(fgsmEps)}";

    /// <summary>Training progress of the running trial, with its number.</summary>
    public IProgress<(int Trial, TrainingProgress Progress)>? TrainingProgress { get; init; }

    /// <summary>What makes two sweeps the same sweep (a log of another is refused); the schedule is named only when it is
    /// not the research's StepLR, so logs written before schedules were selectable still match.</summary>
    public IReadOnlyDictionary<string, string> Identity { get; } = WithSchedule(data.Training, new Dictionary<string, string>
    {
        ["scenario"] = scenario.Name,
        ["data"] = Path.GetFullPath(data.DataFolder ?? Transforms.Data.Cifar10.Locate() ?? "../shared/datasets/cifar10-jpg"),
        ["train_fraction"] = Text(data.TrainFraction),
        ["train_per_class"] = data.TrainPerClass?.ToString(CultureInfo.InvariantCulture) ?? "all",
        ["validation_per_class"] = Text(data.ValidationPerClass),
        ["batch_size"] = Text(data.Training.BatchSize),
        ["lr"] = Text(data.Training.LearningRate),
        ["step_size"] = Text(data.Training.StepSize),
        ["width"] = Text(data.Training.Width),
        ["depth"] = data.Training.Depth.ToString(),
        ["seed"] = Text(data.Training.Seed),
        ["metric"] = metric.ToString().ToLowerInvariant(),
        ["fgsm_eps"] = Text(fgsmEps),
    });

    private static Dictionary<string, string> WithSchedule(TrainingSettings training, Dictionary<string, string> identity)
    {
        if (training.Scheduler != SchedulerKind.Step)
        {
            identity["scheduler"] = training.Scheduler.ToString().ToLowerInvariant();
        }
        return identity;
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    public TrialOutcome Evaluate(TrialRequest request, TrialContext trial)
    {
        var unknown = request.Parameters.Values.Select(v => v.Key).FirstOrDefault(n => Scenario.FindParameter(n) is null);
        if (unknown is not null)
        {
            throw new ArgumentException($"the {Scenario.Name} scenario has no parameter '{unknown}'");
        }
        _data ??= new ExperimentData(context, data);
        var settings = data.Training with { Epochs = request.Epochs };
        var checkpoint = Path.Combine(trial.Folder, "checkpoint");
        var progress = TrainingProgress is null ? null : new Relay(trial.Id, TrainingProgress);
        var trainer = Scenario.CreateTrainer(new ScenarioContext(context, settings, _data.Validation, checkpoint, progress, request.Parameters.ToDictionary()));
        TrialOutcome outcome;
        try
        {
            outcome = Score(trainer.Fit(_data.Train), settings.Seed);
        }
        catch (TrainingDivergedException e)
        {
            outcome = TrialOutcome.Failed(e.Message);
        }
        if (!request.MayBeContinued && Directory.Exists(checkpoint))
        {
            Directory.Delete(checkpoint, recursive: true);
        }
        return outcome;
    }

    private TrialOutcome Score(Trainers.Classification.ImageModelTransformer trained, int seed)
    {
        using var model = trained;
        var validation = _data!.Validation;
        using var knn = context.Trainers.Knn(k: 3).Fit(model.Transform(_data.Train));
        var evaluator = new ScenarioEvaluator(context, _data, data);
        var head = model.HasClassifier ? ScenarioEvaluator.ClassifierHead : ScenarioEvaluator.KnnHead;
        var clean = evaluator.Accuracy(model, knn, validation);
        var attacked = evaluator.Accuracy(model, knn, context.Transforms.FgsmAttack(model, fgsmEps, seed: seed).Fit(validation).Transform(validation));
        var metrics = new Dictionary<string, double> { [AccuracyMetric] = clean[head], [FgsmMetric] = attacked[head] };
        if (model.HasClassifier)
        {
            metrics[KnnAccuracyMetric] = clean[ScenarioEvaluator.KnnHead];
        }
        var score = Metric switch
        {
            SweepMetric.Fgsm => attacked[head],
            SweepMetric.Mean => (clean[head] + attacked[head]) / 2,
            _ => clean[head],
        };
        return TrialOutcome.Ok(score, metrics);
    }

    /// <summary>Successive halving keeps every rung's checkpoints until it is done; the demoted ones are never continued.</summary>
    public void Completed(IReadOnlyList<string> trialFolders)
    {
        foreach (var checkpoint in trialFolders.Select(f => Path.Combine(f, "checkpoint")).Where(Directory.Exists))
        {
            Directory.Delete(checkpoint, recursive: true);
        }
    }

    public void Dispose() => _data?.Dispose();

    private sealed class Relay(int trial, IProgress<(int, TrainingProgress)> target) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => target.Report((trial, value));
    }
}
