namespace MlNetRobust.Reporting.Charts;

/// <summary>The shared look of every chart: one place to change sizes and greys.</summary>
internal static class ChartStyle
{
    public const double Margin = 16;
    public const double TitleSize = 15;
    public const double AxisTitleSize = 12;
    public const double LabelSize = 11;
    public const double LegendSize = 12;
    public const double LegendRow = 20;

    public const string Ink = "#1f2328";
    public const string Muted = "#57606a";
    public const string Grid = "#e6e8eb";
    public const string Axis = "#8c959f";
}
