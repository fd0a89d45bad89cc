using System.Globalization;
using MlNetRobust.Pipelines.Scenarios;

namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>
/// Search spaces over a scenario's parameters: its default sweep (circle: m and gamma; angular: alpha; adversarial:
/// eps and probability; cross-entropy: lr), or one written as specs, each checked against the scenario:
/// <c>NAME=V1,V2,…</c> (values; <c>8/255</c> style fractions allowed) or <c>NAME=LOW..HIGH[:log][:POINTS]</c>
/// (a range; grids take POINTS values, default 4). The parameters' order is the specs' order. Parameters left out
/// keep the scenario's defaults.
/// </summary>
public static class ScenarioSearchSpace
{
    public const string Example = "e.g. m=0.1,0.25,0.4 or lr=0.0001..0.01:log";

    /// <summary>The scenario's <see cref="Scenario.DefaultSweep"/> parameters over their usual values.</summary>
    public static SearchSpace Default(Scenario scenario) => new(scenario.DefaultSweep.Select(name =>
    {
        var p = scenario.FindParameter(name) ?? throw new InvalidOperationException($"scenario {scenario.Name} sweeps unknown parameter '{name}'");
        return (SweepParameter)SweepParameter.Choice(p.Name, p.SweepValues, p.Default);
    }));

    /// <exception cref="ArgumentException">A spec is malformed, names no parameter of the scenario, repeats one, or holds a value out of range; the message says which.</exception>
    public static SearchSpace Parse(Scenario scenario, IEnumerable<string> specs)
    {
        var parameters = new List<SweepParameter>();
        foreach (var spec in specs)
        {
            var eq = spec.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == spec.Length - 1)
            {
                throw new ArgumentException($"'{spec}': expected NAME=VALUES, {Example}");
            }
            var name = spec[..eq].Trim();
            var known = scenario.FindParameter(name)
                ?? throw new ArgumentException($"{name}: the {scenario.Name} scenario has no such parameter (it has {string.Join(", ", scenario.Parameters.Select(p => p.Name))})");
            if (parameters.Any(p => p.Name == known.Name))
            {
                throw new ArgumentException($"{known.Name}: given twice");
            }
            var values = spec[(eq + 1)..].Trim();
            parameters.Add(values.Contains("..", StringComparison.Ordinal) ? Range(known, values) : Choice(known, values));
        }
        return new SearchSpace(parameters);
    }

    private static ChoiceParameter Choice(ScenarioParameter known, string text)
    {
        var values = text.Split(',').Select(v => Value(known, v)).ToList();
        var twice = values.GroupBy(v => v).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new ArgumentException($"{known.Name}: {SweepParameter.Format(twice.Key)} is listed twice");
        }
        return SweepParameter.Choice(known.Name, values, known.Default);
    }

    private static RangeParameter Range(ScenarioParameter known, string text)
    {
        var parts = text.Split(':');
        var ends = parts[0].Split("..");
        if (ends.Length != 2)
        {
            throw new ArgumentException($"{known.Name}: '{text}' is not a range; expected LOW..HIGH[:log][:POINTS], e.g. {known.Name}=0.0001..0.01:log");
        }
        var (low, high) = (Value(known, ends[0]), Value(known, ends[1]));
        if (!(low < high))
        {
            throw new ArgumentException($"{known.Name}: the range {SweepParameter.Format(low)}..{SweepParameter.Format(high)} is empty (the low end must be below the high end)");
        }
        var log = false;
        var points = RangeParameter.DefaultPoints;
        foreach (var option in parts.Skip(1))
        {
            if (option.Trim() == "log")
            {
                log = true;
            }
            else if (int.TryParse(option, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 2)
            {
                points = n;
            }
            else
            {
                throw new ArgumentException($"{known.Name}: unknown range option '{option}' (expected 'log' or a number of grid points, at least 2)");
            }
        }
        if (log && low <= 0)
        {
            throw new ArgumentException($"{known.Name}: a log range needs a positive low end (got {SweepParameter.Format(low)})");
        }
        return SweepParameter.Range(known.Name, low, high, log, points, known.Integer, Math.Clamp(known.Default, low, high));
    }

    /// <summary>A number ("0.25", "1e-3") or a fraction ("8/255"), checked against the parameter's bounds.</summary>
    private static double Value(ScenarioParameter known, string text)
    {
        text = text.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        double value;
        if (slash > 0 && Number(text[..slash]) is { } numerator && Number(text[(slash + 1)..]) is { } denominator && denominator != 0)
        {
            value = numerator / denominator;
        }
        else if (Number(text) is { } plain)
        {
            value = plain;
        }
        else
        {
            throw new ArgumentException($"{known.Name}: '{text}' is not a number");
        }
        if (known.Check(value) is { } problem)
        {
            throw new ArgumentException($"{known.Name}: {text} is out of range: {problem}");
        }
        return value;
    }

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
