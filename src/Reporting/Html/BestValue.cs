namespace MlNetRobust.Reporting.Html;

/// <summary>Which value of a table column counts as the best one (and is highlighted).</summary>
public enum BestValue
{
    /// <summary>No highlighting.</summary>
    None,

    /// <summary>The highest value is best (accuracy).</summary>
    Highest,

    /// <summary>The lowest value is best (loss, error, time).</summary>
    Lowest,
}
