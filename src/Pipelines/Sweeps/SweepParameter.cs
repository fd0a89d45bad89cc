using System.Globalization;

namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>
/// One dimension of a <see cref="SearchSpace"/>: a named number with the values grid-like strategies try
/// (<see cref="Candidates"/>), a way to draw one at random (<see cref="Sample"/>) and a default — where greedy
/// coordinate search holds it until its turn (the research's value).
/// </summary>
public abstract class SweepParameter
{
    protected SweepParameter(string name, double @default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['=', ';', ',', ' ', '@']) >= 0)
        {
            throw new ArgumentException($"'{name}' is not a usable parameter name (no spaces or = ; , @)", nameof(name));
        }
        Name = name;
        Default = @default;
    }

    public string Name { get; }

    public double Default { get; }

    /// <summary>The values grid search, greedy coordinate search and successive halving try, in order.</summary>
    public abstract IReadOnlyList<double> Candidates { get; }

    /// <summary>A value drawn at random (random search).</summary>
    public abstract double Sample(Random random);

    /// <summary>A canonical description: two parameters with the same one propose the same values.</summary>
    public abstract string Describe();

    /// <summary>A fixed list of values (the first is the default unless one is given).</summary>
    public static ChoiceParameter Choice(string name, IEnumerable<double> values, double? @default = null) => new(name, values.ToArray(), @default);

    /// <summary>A range [min, max], linear or logarithmic, optionally whole numbers; grids take <paramref name="points"/> evenly spaced values.</summary>
    public static RangeParameter Range(string name, double min, double max, bool log = false, int points = RangeParameter.DefaultPoints,
        bool integer = false, double? @default = null) => new(name, min, max, log, points, integer, @default);

    /// <summary>Shortest round-trip text of a value, as keys and logs write it.</summary>
    public static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Four significant digits, so sampled and log-spaced values read well and key exactly.</summary>
    internal static double Round(double value) => double.Parse(value.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

/// <summary>A parameter that takes one of a list of values.</summary>
public sealed class ChoiceParameter : SweepParameter
{
    private readonly double[] _values;

    internal ChoiceParameter(string name, double[] values, double? @default)
        : base(name, @default ?? (values.Length > 0 ? values[0] : double.NaN))
    {
        if (values.Length == 0)
        {
            throw new ArgumentException($"parameter '{name}' needs at least one value", nameof(values));
        }
        if (values.Distinct().Count() != values.Length)
        {
            throw new ArgumentException($"parameter '{name}' lists a value twice", nameof(values));
        }
        _values = values;
    }

    public override IReadOnlyList<double> Candidates => _values;

    public override double Sample(Random random) => _values[random.Next(_values.Length)];

    public override string Describe() => $"{Name}={string.Join(',', _values.Select(Format))} (default {Format(Default)})";
}

/// <summary>A parameter that takes any value of [min, max] (log-uniform when <see cref="Log"/>), or any whole number in it.</summary>
public sealed class RangeParameter : SweepParameter
{
    public const int DefaultPoints = 4;

    internal RangeParameter(string name, double min, double max, bool log, int points, bool integer, double? @default)
        : base(name, @default ?? min)
    {
        if (!(min < max) || !double.IsFinite(min) || !double.IsFinite(max))
        {
            throw new ArgumentException($"parameter '{name}': the range {Format(min)}..{Format(max)} is empty (the low end must be below the high end)");
        }
        if (log && min <= 0)
        {
            throw new ArgumentException($"parameter '{name}': a log range needs a positive low end (got {Format(min)})");
        }
        if (points < 2)
        {
            throw new ArgumentException($"parameter '{name}': a range needs at least 2 grid points (got {points})");
        }
        (Min, Max, Log, Points, Integer) = (min, max, log, points, integer);
        Candidates = Enumerable.Range(0, points).Select(i => Snap(At(i / (double)(points - 1)))).Distinct().ToArray();
    }

    public double Min { get; }

    public double Max { get; }

    public bool Log { get; }

    public int Points { get; }

    public bool Integer { get; }

    public override IReadOnlyList<double> Candidates { get; }

    public override double Sample(Random random) => Integer ? SampleInteger(random) : Snap(At(random.NextDouble()));

    public override string Describe() =>
        $"{Name}={Format(Min)}..{Format(Max)}{(Log ? ":log" : "")}:{Points}{(Integer ? ":int" : "")} (default {Format(Default)})";

    /// <summary>The value at fraction <paramref name="t"/> of the way from min to max (in log space when <see cref="Log"/>).</summary>
    private double At(double t) => Log ? Math.Exp(Math.Log(Min) + t * (Math.Log(Max) - Math.Log(Min))) : Min + t * (Max - Min);

    private double Snap(double value) => Integer ? Math.Round(value) : Math.Clamp(Round(value), Min, Max);

    /// <summary>Whole numbers: uniform over the integers of the range (log-uniform over their span when <see cref="Log"/>).</summary>
    private double SampleInteger(Random random)
    {
        var low = Math.Ceiling(Min);
        var high = Math.Floor(Max);
        return Log ? Math.Clamp(Math.Round(At(random.NextDouble())), low, high) : low + random.NextInt64((long)(high - low) + 1);
    }
}
