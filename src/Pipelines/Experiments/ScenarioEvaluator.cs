using System.Globalization;
using MlNetRobust.Data;
using MlNetRobust.Pipelines.Scenarios;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Classification;
using MlNetRobust.Trainers.Evaluation;
using MlNetRobust.Trainers.Knn;
using MlNetRobust.Transforms.Corruptions;

namespace MlNetRobust.Pipelines.Experiments;

/// <summary>
/// Evaluates one trained model with both heads — its classifier (when it has one) and a KNN head (k = 3,
/// cosine) fitted on its training embeddings — on the experiment's test sets: clean, perturbed (noise,
/// jitter, flip, rotation, each p = 0.3), FGSM at each eps, PGD on the fixed subset, and the CIFAR-10-C
/// corruptions at severities 1–5 on a fixed subset. Attacks are white-box against the model's own output
/// (logits, or the embedding for metric models); both heads read the same attacked images.
/// </summary>
public sealed class ScenarioEvaluator(RobustContext ctx, ExperimentData data, ExperimentOptions options)
{
    public const string ClassifierHead = "classifier";
    public const string KnnHead = "knn";

    /// <summary>The 13 corruptions of CIFAR-10-C's benchmark that we implement (glass blur, frost, spatter are not).</summary>
    public static readonly Corruption[] BenchmarkCorruptions =
    [
        Corruption.GaussianNoise, Corruption.ShotNoise, Corruption.ImpulseNoise, Corruption.DefocusBlur, Corruption.MotionBlur,
        Corruption.ZoomBlur, Corruption.Snow, Corruption.Fog, Corruption.Brightness, Corruption.Contrast, Corruption.ElasticTransform,
        Corruption.Pixelate, Corruption.JpegCompression,
    ];

    public sealed record Evaluation(IReadOnlyList<HeadMetric> Metrics, IReadOnlyDictionary<string, ClassificationMetrics> CleanReports);

    /// <param name="knn">The KNN head, fitted on the model's training embeddings.</param>
    public Evaluation Evaluate(ImageModelTransformer model, KnnTransformer knn, IProgress<string>? progress = null)
    {
        var metrics = new List<HeadMetric>();
        var reports = new Dictionary<string, ClassificationMetrics>();
        var seed = options.Training.Seed;

        progress?.Report("clean");
        var clean = Score(model, knn, data.Test);
        Add(metrics, "clean", clean);
        foreach (var (head, predicted) in clean.Predictions)
        {
            reports[head] = ClassificationMetrics.Compute(clean.Truth, predicted, data.ClassNames);
        }

        progress?.Report("perturbed");
        Add(metrics, "perturbed", Score(model, knn, ScenarioCatalog.TestPerturbation(ctx, seed).Fit(data.Test).Transform(data.Test)));

        foreach (var eps in options.FgsmEps)
        {
            progress?.Report($"FGSM eps {EpsName(eps)}");
            Add(metrics, $"fgsm_{EpsName(eps)}", Score(model, knn, ctx.Transforms.FgsmAttack(model, eps, seed: seed).Fit(data.Test).Transform(data.Test)));
        }

        progress?.Report($"PGD-{options.PgdSteps} eps {EpsName(options.PgdEps)}");
        Add(metrics, $"pgd{options.PgdSteps}_{EpsName(options.PgdEps)}",
            Score(model, knn, ctx.Transforms.PgdAttack(model, options.PgdEps, steps: options.PgdSteps, seed: seed).Fit(data.PgdSubset).Transform(data.PgdSubset)));

        if (options.CorruptionPerClass > 0)
        {
            var perHead = new Dictionary<string, List<double>>();
            foreach (var corruption in BenchmarkCorruptions)
            {
                progress?.Report($"corruption {corruption}");
                for (var severity = 1; severity <= 5; severity++)
                {
                    var corrupted = ctx.Transforms.Corrupt(corruption, severity, seed: SeedMixer.Mix((ulong)seed, severity, (ulong)corruption)).Fit(data.CorruptionSubset).Transform(data.CorruptionSubset);
                    var scores = Score(model, knn, corrupted);
                    foreach (var (head, accuracy) in scores.Accuracies())
                    {
                        metrics.Add(new HeadMetric(head, $"corruption_{corruption}_{severity}", accuracy, scores.Truth.Length));
                        (perHead.TryGetValue(head, out var list) ? list : perHead[head] = []).Add(accuracy);
                    }
                }
            }
            foreach (var (head, values) in perHead)
            {
                metrics.Add(new HeadMetric(head, "corruption_mean", values.Average(), data.CorruptionSubsetSize));
            }
        }
        return new Evaluation(metrics, reports);
    }

    /// <summary>Accuracy of each head (classifier when the model has one, and KNN) on <paramref name="images"/>.</summary>
    public IReadOnlyDictionary<string, double> Accuracy(ImageModelTransformer model, KnnTransformer knn, IDataView images) =>
        Score(model, knn, images).Accuracies().ToDictionary(a => a.Head, a => a.Accuracy);

    /// <summary>"8/255" for multiples of 1/255, else the decimal (e.g. "0.01").</summary>
    public static string EpsName(double eps)
    {
        var in255 = eps * 255;
        return Math.Abs(in255 - Math.Round(in255)) < 1e-9 ? $"{Math.Round(in255)}/255" : eps.ToString("0.####", CultureInfo.InvariantCulture);
    }

    private sealed record Scores(int[] Truth, IReadOnlyDictionary<string, int[]> Predictions)
    {
        public IEnumerable<(string Head, double Accuracy)> Accuracies() =>
            Predictions.Select(p => (p.Key, Truth.Zip(p.Value).Count(x => x.First == x.Second) / (double)Math.Max(Truth.Length, 1)));
    }

    private static void Add(List<HeadMetric> metrics, string name, Scores scores) =>
        metrics.AddRange(scores.Accuracies().Select(a => new HeadMetric(a.Head, name, a.Accuracy, scores.Truth.Length)));

    /// <summary>One pass: the model gives embeddings (and classifier predictions); the KNN head reads the same embeddings.</summary>
    private Scores Score(ImageModelTransformer model, KnnTransformer knn, IDataView images)
    {
        var truth = new List<int>();
        var classifier = new List<int>();
        var nearest = new List<int>();
        foreach (var batch in model.Transform(images).GetBatches(options.EvaluationBatchSize))
        {
            using (batch)
            {
                truth.AddRange(batch.GetKeys(DefaultColumnNames.Label));
                if (model.HasClassifier)
                {
                    classifier.AddRange(batch.GetKeys(DefaultColumnNames.PredictedLabel));
                }
                var (scores, predicted) = knn.Predict(batch.GetTensor(DefaultColumnNames.Embedding));
                using (scores)
                using (predicted)
                using (var asInt = predicted.to(ScalarType.Int32))
                {
                    nearest.AddRange(asInt.data<int>());
                }
            }
        }
        var predictions = new Dictionary<string, int[]>();
        if (model.HasClassifier)
        {
            predictions[ClassifierHead] = classifier.ToArray();
        }
        predictions[KnnHead] = nearest.ToArray();
        return new Scores(truth.ToArray(), predictions);
    }
}
