using System.CommandLine.Parsing;
using System.Globalization;
using MlNetRobust.Transforms.Attacks;

namespace MlNetRobust.Cli.Infrastructure;

/// <summary>
/// Parses attack strengths and attack lists from the command line. Strengths are in [0, 1] pixel space and
/// may be written as the field does, "8/255", or as a decimal, "0.03".
/// </summary>
public static class AttackArguments
{
    /// <summary>The attacks --attacks knows (pgd-l2: PGD in the L2 norm, whose eps may exceed 1).</summary>
    public static readonly IReadOnlyList<string> Names = ["fgsm", "pgd", "pgd-l2"];

    /// <summary>
    /// "8/255" or "0.03" → the value, which must be in (0, <paramref name="max"/>]; otherwise null with
    /// <paramref name="error"/> naming <paramref name="option"/>.
    /// </summary>
    public static double? ParseEps(string text, string option, out string? error, double max = 1)
    {
        error = null;
        double value;
        var parts = text.Split('/');
        if (parts.Length == 2 && TryNumber(parts[0], out var numerator) && TryNumber(parts[1], out var denominator) && denominator > 0)
        {
            value = numerator / denominator;
        }
        else if (parts.Length == 1 && TryNumber(text, out var plain))
        {
            value = plain;
        }
        else
        {
            error = $"{option}: '{text}' is not a number or a fraction such as 8/255";
            return null;
        }
        if (!(value > 0 && value <= max))
        {
            error = max == 1
                ? $"{option} must be in (0, 1] (pixel values are in [0, 1], e.g. 8/255); got {text}"
                : $"{option} must be greater than 0; got {text}";
            return null;
        }
        return value;
    }

    /// <summary>A custom parser for an eps option (one token).</summary>
    public static double ParseEpsOption(ArgumentResult result, string option)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        var value = ParseEps(text, option, out var error);
        if (error is not null)
        {
            result.AddError(error);
            return 0;
        }
        return value!.Value;
    }

    /// <summary>
    /// "fgsm:8/255,pgd:8/255:20" → FGSM at 8/255 and PGD-20 at 8/255. Each item is name[:eps[:steps]] with name one of
    /// <see cref="Names"/>; eps defaults to 8/255 (0.5 for pgd-l2), steps to 10; PGD steps by eps/4 from a random start.
    /// </summary>
    public static IReadOnlyList<AttackOptions> ParseList(IEnumerable<string> tokens, string option, out string? error)
    {
        error = null;
        var attacks = new List<AttackOptions>();
        foreach (var item in tokens.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var parts = item.Split(':');
            var name = parts[0].ToLowerInvariant();
            if (!Names.Contains(name))
            {
                error = $"{option}: unknown attack '{parts[0]}' (known: {string.Join(", ", Names)}; e.g. fgsm:8/255,pgd:8/255:10)";
                return [];
            }
            if (parts.Length > (name == "fgsm" ? 2 : 3))
            {
                error = $"{option}: '{item}' has too many parts (expected {(name == "fgsm" ? "fgsm[:eps]" : $"{name}[:eps[:steps]]")})";
                return [];
            }
            var eps = name == "pgd-l2" ? 0.5 : 8 / 255.0;
            if (parts.Length > 1)
            {
                eps = ParseEps(parts[1], $"{option} ({item})", out error, name == "pgd-l2" ? double.MaxValue : 1) ?? 0;
                if (error is not null)
                {
                    return [];
                }
            }
            var steps = Pgd.Defaults.Steps;
            if (parts.Length > 2 && (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out steps) || steps < 1))
            {
                error = $"{option} ({item}): steps must be a whole number of at least 1, got '{parts[2]}'";
                return [];
            }
            attacks.Add(name switch
            {
                "fgsm" => AttackOptions.Fgsm(eps),
                "pgd" => AttackOptions.Pgd(eps, eps / 4, steps),
                _ => AttackOptions.Pgd(eps, eps / 4, steps, norm: AttackNorm.L2),
            });
        }
        return attacks;
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
