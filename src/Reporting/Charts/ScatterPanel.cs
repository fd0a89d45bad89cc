namespace MlNetRobust.Reporting.Charts;

/// <summary>One map of a <see cref="ScatterChart"/>: a point per sample at (X[i], Y[i]), coloured by
/// its class Labels[i] (an index into the chart's class names).</summary>
public sealed record ScatterPanel(string Title, IReadOnlyList<float> X, IReadOnlyList<float> Y, IReadOnlyList<int> Labels)
{
    /// <summary>A panel from an [N, 2] embedding stored row-major (x0, y0, x1, y1, …), as UMAP returns it.</summary>
    public static ScatterPanel FromPairs(string title, float[] xy, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(xy);
        if (xy.Length % 2 != 0)
        {
            throw new ArgumentException($"an [N, 2] embedding needs an even number of values, not {xy.Length}", nameof(xy));
        }

        var x = new float[xy.Length / 2];
        var y = new float[xy.Length / 2];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = xy[2 * i];
            y[i] = xy[2 * i + 1];
        }

        return new ScatterPanel(title, x, y, labels);
    }
}
