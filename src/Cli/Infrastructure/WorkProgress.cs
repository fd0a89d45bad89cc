using System.Diagnostics;
using Spectre.Console;

namespace MlNetRobust.Cli.Infrastructure;

/// <summary>One bar of a <see cref="WorkProgress"/>: how far it is, and a live detail such as the accuracy so far.</summary>
public interface IWorkTask
{
    void Update(long done, string? detail = null);
}

/// <summary>
/// Progress for long work other than training (decoding, evaluating, attacking, predicting): Spectre.Console bars
/// with percentage, ETA and a live detail on an interactive terminal; one line per finished bar otherwise (logs,
/// CI); nothing with --quiet. Everything goes to stderr, so --json output on stdout stays clean.
/// </summary>
public sealed class WorkProgress(CliContext ctx)
{
    public delegate IWorkTask AddTask(string description, long total);

    /// <summary>Runs <paramref name="work"/>, which adds its bars through the given function.</summary>
    public T Run<T>(Func<AddTask, T> work)
    {
        if (ctx.Quiet)
        {
            return work((_, _) => new Silent());
        }
        if (!ctx.Console.Profile.Capabilities.Interactive)
        {
            return work((description, total) => new Logged(ctx, description, total));
        }
        T result = default!;
        ctx.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(progress => result = work((description, total) => new Live(progress.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total)), description)));
        return result;
    }

    private sealed class Silent : IWorkTask
    {
        public void Update(long done, string? detail = null)
        {
        }
    }

    private sealed class Live(ProgressTask task, string description) : IWorkTask
    {
        public void Update(long done, string? detail = null)
        {
            task.Value = done;
            task.Description = Markup.Escape(detail is null ? description : $"{description} {detail}");
        }
    }

    /// <summary>Without a live terminal: one line when the bar completes.</summary>
    private sealed class Logged(CliContext ctx, string description, long total) : IWorkTask
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private bool _finished;

        public void Update(long done, string? detail = null)
        {
            if (!_finished && done >= total)
            {
                _finished = true;
                ctx.Console.MarkupLine(Markup.Escape($"{description}: {done:N0} done{(detail is null ? "" : $", {detail}")} ({_clock.Elapsed.TotalSeconds:F1} s)"));
            }
        }
    }
}
