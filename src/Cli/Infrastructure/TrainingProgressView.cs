using MlNetRobust.Trainers.Training;
using Spectre.Console;

namespace MlNetRobust.Cli.Infrastructure;

/// <summary>
/// Shows training progress: a live Spectre.Console bar per scenario with epoch, loss, accuracy, images/s
/// and ETA on an interactive terminal; one line per epoch otherwise (logs, CI); nothing with --quiet.
/// </summary>
public sealed class TrainingProgressView(CliContext ctx)
{
    /// <summary>Runs <paramref name="work"/> with a progress reporter wired to the console.</summary>
    public T Run<T>(Func<IProgress<(string Scenario, TrainingProgress Progress)>, IProgress<string>, T> work)
    {
        var messages = new Callback<string>(m => ctx.Say(Markup.Escape(m)));
        if (ctx.Quiet)
        {
            return work(new Callback<(string, TrainingProgress)>(_ => { }), new Callback<string>(_ => { }));
        }
        if (!ctx.Console.Profile.Capabilities.Interactive)
        {
            return work(new Callback<(string Scenario, TrainingProgress P)>(e =>
            {
                if (e.P.Phase == TrainingPhase.EpochEnd && e.P.EpochSummary is { } m)
                {
                    ctx.Console.MarkupLine(Markup.Escape(Describe(e.Scenario, m)));
                }
            }), messages);
        }
        T result = default!;
        ctx.Console.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(progress =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                result = work(new Callback<(string Scenario, TrainingProgress P)>(e =>
                {
                    if (!tasks.TryGetValue(e.Scenario, out var task))
                    {
                        task = tasks[e.Scenario] = progress.AddTask(Markup.Escape(e.Scenario), maxValue: e.P.Epochs * Math.Max(1, e.P.Batches));
                    }
                    if (e.P.Phase == TrainingPhase.Train)
                    {
                        task.Value = (e.P.Epoch - 1) * e.P.Batches + e.P.Batch;
                        task.Description = Markup.Escape($"{e.Scenario} epoch {e.P.Epoch}/{e.P.Epochs} loss {e.P.Loss:F3} acc {e.P.Accuracy:P1} {e.P.ImagesPerSecond:F0} img/s");
                    }
                    else if (e.P.Phase == TrainingPhase.EpochEnd && e.P.EpochSummary is { } m)
                    {
                        ctx.Console.MarkupLine(Markup.Escape(Describe(e.Scenario, m)));
                    }
                }), messages);
            });
        return result;
    }

    private static string Describe(string scenario, EpochMetrics m) =>
        $"{scenario} epoch {m.Epoch}: loss {m.TrainLoss:F3}, train acc {(m.TrainAccuracy is { } t ? t.ToString("P1") : "\u2014")}" +
        (m.ValidationAccuracy is { } v ? $", val acc {v:P1}" : "") +
        (m.TrainAdversarialAccuracy is { } a ? $", adv acc {a:P1}" : "") +
        $", {m.Seconds:F0} s ({m.ImagesPerSecond:F0} img/s), lr {m.LearningRate:G3}";

    private sealed class Callback<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
