namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>
/// The parameters a sweep varies, in order (greedy coordinate search visits them in this order; a grid varies the
/// last one fastest). Example: <c>new SearchSpace(SweepParameter.Choice("m", [0.1, 0.25, 0.4], 0.25), SweepParameter.Choice("gamma", [32, 64, 128, 256], 256))</c>.
/// </summary>
public sealed class SearchSpace
{
    public SearchSpace(params IEnumerable<SweepParameter> parameters)
    {
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0)
        {
            throw new ArgumentException("a search space needs at least one parameter", nameof(parameters));
        }
        var twice = Parameters.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new ArgumentException($"parameter '{twice.Key}' appears twice in the search space", nameof(parameters));
        }
    }

    public IReadOnlyList<SweepParameter> Parameters { get; }

    /// <summary>Every parameter at its default.</summary>
    public ParameterSet Defaults => new(Parameters.Select(p => KeyValuePair.Create(p.Name, p.Default)));

    /// <summary>How many configurations <see cref="Grid"/> yields.</summary>
    public long GridSize => Parameters.Aggregate(1L, (n, p) => n * p.Candidates.Count);

    /// <summary>The Cartesian product of the candidates, the last parameter varying fastest.</summary>
    public IEnumerable<ParameterSet> Grid()
    {
        var index = new int[Parameters.Count];
        while (true)
        {
            yield return new ParameterSet(Parameters.Select((p, i) => KeyValuePair.Create(p.Name, p.Candidates[index[i]])));
            var d = Parameters.Count - 1;
            while (d >= 0 && ++index[d] == Parameters[d].Candidates.Count)
            {
                index[d--] = 0;
            }
            if (d < 0)
            {
                yield break;
            }
        }
    }

    /// <summary>A configuration with every parameter drawn at random.</summary>
    public ParameterSet Sample(Random random) => new(Parameters.Select(p => KeyValuePair.Create(p.Name, p.Sample(random))));

    /// <summary>A configuration from stored values (a trial log), in the space's order; null if the names do not match.</summary>
    public ParameterSet? Read(IReadOnlyDictionary<string, double> values) =>
        values.Count == Parameters.Count && Parameters.All(p => values.ContainsKey(p.Name))
            ? new ParameterSet(Parameters.Select(p => KeyValuePair.Create(p.Name, values[p.Name])))
            : null;

    /// <summary>Canonical text: equal spaces describe themselves the same way (part of a sweep's identity).</summary>
    public string Describe() => string.Join("; ", Parameters.Select(p => p.Describe()));
}
