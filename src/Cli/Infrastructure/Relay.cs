namespace MlNetRobust.Cli.Infrastructure;

/// <summary>An <see cref="IProgress{T}"/> that calls back on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class Relay<T>(Action<T> action) : IProgress<T>
{
    public void Report(T value) => action(value);
}
