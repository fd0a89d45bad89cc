using MlNetRobust.Data;
using MlNetRobust.Pipelines.Experiments;
using MlNetRobust.Pipelines.Scenarios;
using MlNetRobust.Trainers.Evaluation;
using MlNetRobust.Transforms.Attacks;

namespace MlNetRobust.Pipelines.Inference;

/// <summary>What <see cref="ModelEvaluator"/> measures besides clean accuracy.</summary>
public sealed record ModelEvaluationOptions
{
    /// <summary>White-box attacks against the model's own output; each becomes a set named by <see cref="ModelEvaluator.SetName"/>.</summary>
    public IReadOnlyList<AttackOptions> Attacks { get; init; } = [];

    /// <summary>Also score the test perturbation of the research (noise, jitter, flip, rotation, each p = 0.3).</summary>
    public bool Perturbed { get; init; }

    public int BatchSize { get; init; } = 256;

    /// <summary>Seeds the perturbation and the attacks' random starts.</summary>
    public int Seed { get; init; } = 42;
}

/// <summary>Where an evaluation is: rows scored in the current set, and the first head's accuracy on them.</summary>
public sealed record EvaluationProgress(string Set, int Done, int Total, double Accuracy);

/// <summary>Accuracy and macro-F1 of one head on one set (clean, perturbed, an attack).</summary>
public sealed record SetMetrics(string Set, string Head, int Images, double Accuracy, double MacroF1);

/// <summary>Everything an evaluation of a saved model measured; <see cref="Reports"/> holds per set and head the full metrics.</summary>
public sealed record ModelEvaluation(string Model, IReadOnlyList<string> Classes, IReadOnlyList<SetMetrics> Metrics,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, ClassificationMetrics>> Reports);

/// <summary>
/// Evaluates a model zip on its own against labelled images — the clean set, optionally the perturbed set, and
/// each attack — with every head the model has (classifier, KNN). The same sets and names as
/// <see cref="ScenarioEvaluator"/> (clean, perturbed, fgsm_8/255, pgd10_8/255), without needing the experiment's data.
/// </summary>
public sealed class ModelEvaluator(RobustContext ctx, SavedModel model, ModelEvaluationOptions options)
{
    /// <summary>After each batch: the set being scored, rows done of its total, and the first head's accuracy so far.</summary>
    public IProgress<EvaluationProgress>? Progress { get; init; }

    /// <summary>Sees each attacked batch (adversarial images in Features, with Label and ImagePath) before it is scored.</summary>
    public Action<string, DataBatch>? InspectAttacked { get; init; }

    /// <summary>The set name of an attack: fgsm_8/255, pgd10_8/255, pgd20_0.5_l2, with a _targeted suffix when targeted.</summary>
    public static string SetName(AttackOptions attack) => attack switch
    {
        FgsmOptions f => $"fgsm_{ScenarioEvaluator.EpsName(f.Eps)}",
        PgdOptions p => $"pgd{p.Steps}_{ScenarioEvaluator.EpsName(p.Eps)}{(p.Norm == AttackNorm.L2 ? "_l2" : "")}",
        _ => attack.GetType().Name.Replace("Options", "", StringComparison.Ordinal).ToLowerInvariant(),
    } + (attack.Targeted ? "_targeted" : "");

    /// <summary>
    /// Scores <paramref name="labelled"/> (raw images with labels; <see cref="SavedModel.AlignLabels"/> already applied)
    /// and returns the metrics and each set's predictions.
    /// </summary>
    public (ModelEvaluation Evaluation, IReadOnlyDictionary<string, HeadPredictions> Predictions) Evaluate(IDataView labelled)
    {
        var prepared = model.Prepare(labelled);
        var sets = new List<(string Name, IDataView View, bool Attacked)> { ("clean", prepared, false) };
        if (options.Perturbed)
        {
            sets.Add(("perturbed", ScenarioCatalog.TestPerturbation(ctx, options.Seed).Fit(prepared).Transform(prepared), false));
        }
        foreach (var attack in options.Attacks)
        {
            sets.Add((SetName(attack), ctx.Transforms.Attack(model.Model, attack, seed: options.Seed).Fit(prepared).Transform(prepared), true));
        }
        var metrics = new List<SetMetrics>();
        var reports = new Dictionary<string, IReadOnlyDictionary<string, ClassificationMetrics>>();
        var predictions = new Dictionary<string, HeadPredictions>();
        foreach (var (name, view, attacked) in sets)
        {
            var total = (int)view.RowCount;
            var progress = Progress is null ? null : new Relay(p => Progress.Report(new EvaluationProgress(name, p.Count, total, p.Accuracy(p.Heads[0]))));
            var inspect = attacked && InspectAttacked is { } see ? (Action<DataBatch>)(b => see(name, b)) : null;
            var scored = HeadPredictions.Collect(model, view, options.BatchSize, inspect, progress);
            predictions[name] = scored;
            var perHead = new Dictionary<string, ClassificationMetrics>();
            foreach (var head in scored.Heads)
            {
                var m = ClassificationMetrics.Compute(scored.Truth, scored.Predicted(head), model.Classes);
                perHead[head] = m;
                metrics.Add(new SetMetrics(name, head, scored.Count, m.Accuracy, m.MacroF1));
            }
            reports[name] = perHead;
        }
        return (new ModelEvaluation(model.Path, model.Classes, metrics, reports), predictions);
    }

    private sealed class Relay(Action<HeadPredictions> action) : IProgress<HeadPredictions>
    {
        public void Report(HeadPredictions value) => action(value);
    }
}
