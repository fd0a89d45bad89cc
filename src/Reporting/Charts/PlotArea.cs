namespace MlNetRobust.Reporting.Charts;

/// <summary>The rectangle data is drawn in, in SVG user units (y grows downwards).</summary>
internal readonly record struct PlotArea(double Left, double Top, double Right, double Bottom)
{
    public double Width => Right - Left;

    public double Height => Bottom - Top;
}
