namespace MlNetRobust.Reporting.Html;

/// <summary>A two-column list of settings (configuration, versions), in the order given.</summary>
public sealed class KeyValueBlock : ReportBlock
{
    public KeyValueBlock(IEnumerable<KeyValuePair<string, string>> items) => Items = [.. items];

    public KeyValueBlock(params IEnumerable<(string Key, string Value)> items) =>
        Items = [.. items.Select(i => KeyValuePair.Create(i.Key, i.Value))];

    public IReadOnlyList<KeyValuePair<string, string>> Items { get; }

    /// <summary>An optional title shown above the list.</summary>
    public string? Caption { get; init; }
}
