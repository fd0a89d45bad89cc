using System.Globalization;
using MlNetRobust.Data;
using MlNetRobust.Trainers.Classification;

namespace MlNetRobust.Pipelines.Experiments;

/// <summary>
/// Evaluates one trained model on the experiment's test sets — clean, FGSM at each eps, PGD on the fixed
/// subset — with the classifier head. Attacks are crafted against the model itself (white-box).
/// </summary>
public sealed class ScenarioEvaluator(RobustContext ctx, ExperimentData data, ExperimentOptions options)
{
    public const string ClassifierHead = "classifier";

    public IReadOnlyList<HeadMetric> Evaluate(ImageModelTransformer model, IProgress<string>? progress = null)
    {
        var metrics = new List<HeadMetric>();
        if (!model.HasClassifier)
        {
            return metrics;
        }
        progress?.Report("clean");
        metrics.Add(Accuracy("clean", model, data.Test));
        foreach (var eps in options.FgsmEps)
        {
            progress?.Report($"FGSM eps {EpsName(eps)}");
            var attacked = ctx.Transforms.FgsmAttack(model, eps, seed: options.Training.Seed).Fit(data.Test).Transform(data.Test);
            metrics.Add(Accuracy($"fgsm_{EpsName(eps)}", model, attacked));
        }
        progress?.Report($"PGD-{options.PgdSteps} eps {EpsName(options.PgdEps)}");
        var pgd = ctx.Transforms.PgdAttack(model, options.PgdEps, steps: options.PgdSteps, seed: options.Training.Seed).Fit(data.PgdSubset).Transform(data.PgdSubset);
        metrics.Add(Accuracy($"pgd{options.PgdSteps}_{EpsName(options.PgdEps)}", model, pgd));
        return metrics;
    }

    /// <summary>"8/255" for multiples of 1/255, else the decimal (e.g. "0.01").</summary>
    public static string EpsName(double eps)
    {
        var in255 = eps * 255;
        return Math.Abs(in255 - Math.Round(in255)) < 1e-9 ? $"{Math.Round(in255)}/255" : eps.ToString("0.####", CultureInfo.InvariantCulture);
    }

    private HeadMetric Accuracy(string metric, ImageModelTransformer model, IDataView images)
    {
        var scored = model.Transform(images);
        long right = 0, total = 0;
        foreach (var batch in scored.GetBatches(options.EvaluationBatchSize))
        {
            using (batch)
            {
                var truth = batch.GetKeys(DefaultColumnNames.Label);
                var predicted = batch.GetKeys(DefaultColumnNames.PredictedLabel);
                for (var i = 0; i < truth.Length; i++)
                {
                    right += truth[i] == predicted[i] ? 1 : 0;
                }
                total += truth.Length;
            }
        }
        return new HeadMetric(ClassifierHead, metric, right / (double)Math.Max(total, 1), (int)total);
    }
}
