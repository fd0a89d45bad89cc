namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>
/// One configuration of a search space: a value for each parameter, in the space's order. Two sets with the same
/// <see cref="Key"/> are the same configuration — the trial log uses the key to recognise finished trials.
/// </summary>
public sealed class ParameterSet : IEquatable<ParameterSet>
{
    private readonly KeyValuePair<string, double>[] _values;

    public ParameterSet(IEnumerable<KeyValuePair<string, double>> values)
    {
        _values = values.ToArray();
        if (_values.Select(v => v.Key).Distinct(StringComparer.Ordinal).Count() != _values.Length)
        {
            throw new ArgumentException("a parameter set names a parameter twice", nameof(values));
        }
        Key = string.Join(';', _values.Select(v => $"{v.Key}={SweepParameter.Format(v.Value)}"));
    }

    /// <summary>"m=0.25;gamma=64": identifies the configuration.</summary>
    public string Key { get; }

    public IReadOnlyList<KeyValuePair<string, double>> Values => _values;

    public double this[string name] => _values.First(v => v.Key == name).Value;

    /// <summary>The same set with one value changed.</summary>
    public ParameterSet With(string name, double value) =>
        new(_values.Select(v => v.Key == name ? KeyValuePair.Create(name, value) : v));

    public IReadOnlyDictionary<string, double> ToDictionary() => _values.ToDictionary(v => v.Key, v => v.Value);

    public bool Equals(ParameterSet? other) => other is not null && other.Key == Key;

    public override bool Equals(object? obj) => Equals(obj as ParameterSet);

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);

    /// <summary>"m=0.25 gamma=64".</summary>
    public override string ToString() => string.Join(' ', _values.Select(v => $"{v.Key}={SweepParameter.Format(v.Value)}"));
}
