using System.Text;

namespace MlNetRobust.Reporting.Html;

/// <summary>Turns titles and names into safe file names and anchors: lowercase ASCII letters, digits
/// and single hyphens, nothing that could leave a folder or need escaping in a URL.</summary>
internal static class Slug
{
    public static string From(string text, string fallback, int maxLength = 48)
    {
        var sb = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
            else if (sb.Length > 0 && sb[^1] != '-' && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                sb.Append('-');
            }

            if (sb.Length >= maxLength)
            {
                break;
            }
        }

        var slug = sb.ToString().Trim('-');
        return slug.Length == 0 ? fallback : slug;
    }
}
