using MlNetRobust.Trainers.Training;

namespace MlNetRobust.Pipelines.Experiments;

/// <summary>One metric of one head of one scenario, e.g. (baseline-ce, classifier, fgsm_8/255, 0.153).</summary>
public sealed record HeadMetric(string Head, string Metric, double Value, int Images);

/// <summary>Everything a finished scenario measured; written as result.json in its folder.</summary>
public sealed record ScenarioResult(
    string Scenario,
    string Description,
    int Seed,
    IReadOnlyList<HeadMetric> Metrics,
    TrainingHistory History,
    double TrainSeconds,
    double EvaluateSeconds,
    string ModelPath,
    string WeightsPath)
{
    public double? Get(string head, string metric) => Metrics.FirstOrDefault(m => m.Head == head && m.Metric == metric)?.Value;
}
