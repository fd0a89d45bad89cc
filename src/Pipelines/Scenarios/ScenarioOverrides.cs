using System.Globalization;

namespace MlNetRobust.Pipelines.Scenarios;

/// <summary>
/// Fixed values for scenario parameters in an experiment (<c>--param probability=1</c>): each applies to every
/// chosen scenario that declares a parameter of that name; the others keep their research defaults.
/// </summary>
public static class ScenarioOverrides
{
    /// <summary>
    /// Parses <c>NAME=VALUE</c> specs and checks them against <paramref name="scenarios"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A spec is malformed or repeated, no chosen scenario has the parameter, or a value is
    /// out of its range; the message names the spec and what is wrong.</exception>
    public static IReadOnlyDictionary<string, double> Parse(IEnumerable<string> specs, IReadOnlyList<Scenario> scenarios)
    {
        var values = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var spec in specs)
        {
            var equals = spec.IndexOf('=');
            if (equals <= 0 || equals == spec.Length - 1)
            {
                throw new ArgumentException($"--param '{spec}': expected NAME=VALUE, e.g. probability=1");
            }
            var (name, text) = (spec[..equals].Trim(), spec[(equals + 1)..].Trim());
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new ArgumentException($"--param {name}: '{text}' is not a number (an experiment takes one value; sweeps take lists)");
            }
            if (!values.TryAdd(name, value))
            {
                throw new ArgumentException($"--param {name}: given twice");
            }
        }
        Check(values, scenarios);
        return values;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when a value names no chosen scenario's parameter or is out of range.</summary>
    public static void Check(IReadOnlyDictionary<string, double> values, IReadOnlyList<Scenario> scenarios)
    {
        foreach (var (name, value) in values)
        {
            var declared = scenarios.Select(s => s.FindParameter(name)).OfType<ScenarioParameter>().ToList();
            if (declared.Count == 0)
            {
                throw new ArgumentException($"--param {name}: none of the chosen scenarios ({string.Join(", ", scenarios.Select(s => s.Name))}) has such a parameter");
            }
            if (declared.Select(p => p.Check(value)).OfType<string>().FirstOrDefault() is { } problem)
            {
                throw new ArgumentException($"--param {name}: {ScenarioParameter.Format(value)} is out of range: {problem}");
            }
        }
    }

    /// <summary>The values that apply to <paramref name="scenario"/>, under the names it declares.</summary>
    public static IReadOnlyDictionary<string, double> For(Scenario scenario, IReadOnlyDictionary<string, double> values) =>
        values.Select(v => (Parameter: scenario.FindParameter(v.Key), v.Value))
            .Where(v => v.Parameter is not null)
            .ToDictionary(v => v.Parameter!.Name, v => v.Value);

    /// <summary>"; this run: probability=1, lr=0.0003" (it overrides what the description says), or "" when nothing is overridden.</summary>
    public static string Describe(IReadOnlyDictionary<string, double> applied) =>
        applied.Count == 0 ? "" : $"; this run: {string.Join(", ", applied.Select(v => $"{v.Key}={ScenarioParameter.Format(v.Value)}"))}";
}
