using System.Globalization;
using System.Text.RegularExpressions;

namespace MlNetRobust.Cli.Infrastructure;

/// <summary>Durations as people write them on a command line: 90s, 30m, 2h, 1h30m, 1.5h, or 01:30:00.</summary>
public static partial class Durations
{
    public const string Examples = "90s, 30m, 2h or 1h30m";

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$")]
    private static partial Regex Units();

    /// <summary>The duration, or null when <paramref name="text"/> is not one.</summary>
    public static TimeSpan? Parse(string? text)
    {
        text = text?.Trim().ToLowerInvariant() ?? "";
        if (text.Length == 0)
        {
            return null;
        }
        if (Units().Match(text) is { Success: true } m)
        {
            double Part(string name) => m.Groups[name].Success ? double.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
            return TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s"));
        }
        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : null;
    }
}
