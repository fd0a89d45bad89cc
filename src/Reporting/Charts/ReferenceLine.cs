namespace MlNetRobust.Reporting.Charts;

/// <summary>A labelled horizontal line across a chart (e.g. clean accuracy above per-corruption bars).</summary>
public sealed record ReferenceLine(string Label, double Value);
