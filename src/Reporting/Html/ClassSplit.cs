namespace MlNetRobust.Reporting.Html;

/// <summary>One class of a train/test split: its tag (name) and how many of its samples went to each side
/// (the Transforms layer's <c>SplitTableRow</c>, as plain data).</summary>
public sealed record ClassSplit(string Tag, long Train, long Test);
