using System.Globalization;
using System.Reflection;
using System.Text;

namespace MlNetRobust.Reporting.Html;

/// <summary>Writes a <see cref="ReportDocument"/> as a self-contained folder: <c>report.html</c> (inline
/// style and a few lines of script) and <c>figures/NN-name.svg|png</c>, linked by relative paths, so it
/// opens from disk with no server and no network and can be zipped or copied anywhere. Everything that
/// comes from data is HTML-escaped, and the output depends only on the document (no timestamps).</summary>
/// <example><code>var page = HtmlReportWriter.Write(report, "out/runs/fgsm-eps8");   // …/report.html</code></example>
public static class HtmlReportWriter
{
    /// <summary>The page's file name inside the report folder.</summary>
    public const string FileName = "report.html";

    /// <summary>The sub-folder holding the figures.</summary>
    public const string FigureFolder = "figures";

    /// <summary>Renders and writes the report into <paramref name="folder"/> (created if needed; files
    /// of the same names are replaced). Returns the full path of the page.</summary>
    public static string Write(ReportDocument document, string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var rendered = Render(document);
        Directory.CreateDirectory(folder);
        foreach (var asset in rendered.Assets)
        {
            var path = Path.Combine(folder, asset.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, asset.Content);
        }

        // The page last, so a page on disk never points at figures not yet written.
        var page = Path.Combine(folder, FileName);
        File.WriteAllText(page, rendered.Html, new UTF8Encoding(false));
        return Path.GetFullPath(page);
    }

    /// <summary>Renders the report in memory: the page and its figure files.</summary>
    public static RenderedReport Render(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var h = new StringBuilder();
        var assets = new List<ReportAsset>();
        var sectionIds = UniqueIds(document.Sections.Select(s => s.Title));

        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(Markup.Escape(ReportTheme.ContentSecurityPolicy)).Append("\">\n");
        h.Append("<meta name=\"generator\" content=\"").Append(Markup.Escape(Generator)).Append("\">\n");
        h.Append("<title>").Append(E(document.Title)).Append("</title>\n");
        h.Append("<style>\n").Append(ReportTheme.Css).Append("\n</style>\n</head>\n");
        // data-mlnr-report marks a page as ours (tests and tools look for it).
        h.Append("<body data-mlnr-report=\"1\">\n");

        h.Append("<header class=\"page-header\"><div class=\"wrap\">\n<h1>").Append(E(document.Title)).Append("</h1>\n");
        if (!string.IsNullOrEmpty(document.Subtitle))
        {
            h.Append("<p class=\"subtitle\">").Append(E(document.Subtitle)).Append("</p>\n");
        }

        if (document.Facts.Count > 0)
        {
            h.Append("<dl class=\"facts\">");
            foreach (var (key, value) in document.Facts)
            {
                h.Append("<div><dt>").Append(E(key)).Append("</dt><dd>").Append(E(value)).Append("</dd></div>");
            }

            h.Append("</dl>\n");
        }

        h.Append("</div></header>\n");

        if (document.Sections.Count > 1)
        {
            h.Append("<nav class=\"toc\" aria-label=\"Sections\"><div class=\"wrap\">");
            for (var i = 0; i < document.Sections.Count; i++)
            {
                h.Append("<a href=\"#").Append(sectionIds[i]).Append("\">").Append(E(document.Sections[i].Title)).Append("</a>");
            }

            h.Append("</div></nav>\n");
        }

        h.Append("<main class=\"wrap\">\n");
        for (var i = 0; i < document.Sections.Count; i++)
        {
            var section = document.Sections[i];
            h.Append("<section id=\"").Append(sectionIds[i]).Append("\">\n<h2>").Append(E(section.Title)).Append("</h2>\n");
            foreach (var block in section.Blocks)
            {
                switch (block)
                {
                    case TextBlock text: WriteText(h, text); break;
                    case KeyValueBlock list: WriteKeyValues(h, list); break;
                    case ReportTable table: WriteTable(h, table); break;
                    case FigureBlock figures: WriteFigures(h, figures, assets); break;
                    case LinkListBlock links: WriteLinks(h, links); break;
                    default: throw new NotSupportedException($"no renderer for {block.GetType().Name}");
                }
            }

            h.Append("</section>\n");
        }

        h.Append("</main>\n<footer class=\"page-footer wrap\">").Append(E(Generator)).Append("</footer>\n");
        h.Append("<script>\n").Append(ReportTheme.Script).Append("\n</script>\n</body>\n</html>\n");
        return new RenderedReport(h.ToString(), assets);
    }

    private static string Generator { get; } = "Generated by MlNetRobust " +
        (typeof(HtmlReportWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0")
            .Split('+')[0]; // without the commit hash the SDK appends, so output does not change with every commit

    private static string E(string? text) => Markup.Escape(text);

    private static void WriteText(StringBuilder h, TextBlock block)
    {
        switch (block.Style)
        {
            case TextStyle.Preformatted:
                h.Append("<pre class=\"block\">").Append(E(block.Text.Replace("\r\n", "\n", StringComparison.Ordinal))).Append("</pre>\n");
                return;
            case TextStyle.Note:
                h.Append("<div class=\"block note\" role=\"note\">");
                break;
            default:
                h.Append("<div class=\"block text\">");
                break;
        }

        var paragraphs = block.Text.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var paragraph in paragraphs)
        {
            h.Append("<p>").Append(E(paragraph).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</p>");
        }

        h.Append("</div>\n");
    }

    private static void WriteKeyValues(StringBuilder h, KeyValueBlock block)
    {
        h.Append("<div class=\"block table-wrap\"><table class=\"kv\">");
        if (!string.IsNullOrEmpty(block.Caption))
        {
            h.Append("<caption>").Append(E(block.Caption)).Append("</caption>");
        }

        h.Append("<tbody>\n");
        foreach (var (key, value) in block.Items)
        {
            h.Append("<tr><th scope=\"row\">").Append(E(key)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");
        }

        h.Append("</tbody></table></div>\n");
    }

    private static void WriteTable(StringBuilder h, ReportTable table)
    {
        for (var r = 0; r < table.Rows.Count; r++)
        {
            if (table.Rows[r].Cells.Count != table.Columns.Count)
            {
                throw new ArgumentException(
                    $"table '{table.Caption ?? table.Columns.FirstOrDefault()?.Name}': row {r} has {table.Rows[r].Cells.Count} cells for {table.Columns.Count} columns");
            }
        }

        var body = table.Rows.Where(r => !r.IsSummary).ToList();
        var foot = table.Rows.Where(r => r.IsSummary).ToList();
        var numeric = new bool[table.Columns.Count];
        var best = new double?[table.Columns.Count];
        for (var c = 0; c < table.Columns.Count; c++)
        {
            numeric[c] = body.Any(r => r.Cells[c].Number is not null) && body.All(r => r.Cells[c].Number is not null || r.Cells[c].Text is null);
            best[c] = Best(table.Columns[c].Best, body.Select(r => r.Cells[c]));
        }

        h.Append("<div class=\"block table-wrap\"><table class=\"data").Append(table.Sortable ? " sortable" : string.Empty).Append("\">");
        if (!string.IsNullOrEmpty(table.Caption))
        {
            h.Append("<caption>").Append(E(table.Caption)).Append("</caption>");
        }

        h.Append("\n<thead><tr>");
        for (var c = 0; c < table.Columns.Count; c++)
        {
            var column = table.Columns[c];
            h.Append("<th scope=\"col\"");
            if (numeric[c])
            {
                h.Append(" class=\"num\"");
            }

            if (!string.IsNullOrEmpty(column.Description))
            {
                h.Append(" title=\"").Append(E(column.Description)).Append('"');
            }

            h.Append('>').Append(E(column.Name)).Append("</th>");
        }

        h.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in body)
        {
            WriteRow(h, table, row, best, numeric);
        }

        h.Append("</tbody>\n");
        if (foot.Count > 0)
        {
            h.Append("<tfoot>\n");
            foreach (var row in foot)
            {
                WriteRow(h, table, row, new double?[table.Columns.Count], numeric);
            }

            h.Append("</tfoot>\n");
        }

        h.Append("</table></div>\n");
    }

    private static void WriteRow(StringBuilder h, ReportTable table, ReportRow row, double?[] best, bool[] numeric)
    {
        h.Append("<tr>");
        for (var c = 0; c < table.Columns.Count; c++)
        {
            var cell = row.Cells[c];
            // Numbers, and dashes in number columns, align right.
            var classes = (cell.Number is not null || (numeric[c] && cell.Text is null) ? "num" : string.Empty) +
                (best[c] is { } b && cell.IsNumeric && cell.Number == b ? " best" : string.Empty);
            h.Append("<td");
            if (classes.Length > 0)
            {
                h.Append(" class=\"").Append(classes.TrimStart()).Append('"');
            }

            if (cell.IsNumeric)
            {
                h.Append(" data-v=\"").Append(cell.Number!.Value.ToString("R", CultureInfo.InvariantCulture)).Append('"');
            }

            var text = cell.Text ?? (cell.Number is { } n ? table.Columns[c].Format.Format(n) : NumberFormat.Missing);
            h.Append('>').Append(E(text)).Append("</td>");
        }

        h.Append("</tr>\n");
    }

    // The best finite value of a column, or null when there is nothing to compare (fewer than two values).
    private static double? Best(BestValue rule, IEnumerable<ReportCell> cells)
    {
        if (rule == BestValue.None)
        {
            return null;
        }

        var values = cells.Where(c => c.IsNumeric).Select(c => c.Number!.Value).ToList();
        return values.Count < 2 ? null : rule == BestValue.Highest ? values.Max() : values.Min();
    }

    private static void WriteFigures(StringBuilder h, FigureBlock block, List<ReportAsset> assets)
    {
        h.Append("<div class=\"block figures\">\n");
        foreach (var figure in block.Figures)
        {
            var path = string.Create(CultureInfo.InvariantCulture,
                $"{FigureFolder}/{assets.Count + 1:00}-{Slug.From(figure.Name, "figure")}.{figure.Extension}");
            assets.Add(new ReportAsset(path, figure.Content));
            h.Append("<figure><img src=\"").Append(E(path)).Append("\" alt=\"").Append(E(figure.AltText)).Append('"');
            if (figure.Width is { } width && figure.Height is { } height)
            {
                h.Append(string.Create(CultureInfo.InvariantCulture, $" width=\"{width}\" height=\"{height}\""));
            }

            if (figure.Extension == "png")
            {
                h.Append(" class=\"pixels\"");
            }

            h.Append(" loading=\"eager\">");
            if (!string.IsNullOrEmpty(figure.Caption))
            {
                h.Append("<figcaption>").Append(E(figure.Caption)).Append("</figcaption>");
            }

            h.Append("</figure>\n");
        }

        h.Append("</div>\n");
    }

    private static void WriteLinks(StringBuilder h, LinkListBlock block)
    {
        h.Append("<ul class=\"block links\">\n");
        foreach (var link in block.Links)
        {
            h.Append("<li><a href=\"").Append(E(RelativeHref(link.RelativePath))).Append("\">").Append(E(link.Text)).Append("</a>");
            if (!string.IsNullOrEmpty(link.Description))
            {
                h.Append(" \u2014 ").Append(E(link.Description));
            }

            h.Append("</li>\n");
        }

        h.Append("</ul>\n");
    }

    /// <summary>A relative path as a URL: separators as '/', each segment percent-encoded. Rooted paths
    /// and anything with a scheme (http:, javascript:, C:) are refused: the folder must stay self-contained.</summary>
    internal static string RelativeHref(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        path = path.Replace('\\', '/');
        var fragmentAt = path.IndexOf('#', StringComparison.Ordinal);
        var (file, fragment) = fragmentAt < 0 ? (path, null) : (path[..fragmentAt], path[(fragmentAt + 1)..]);
        var firstSlash = file.IndexOf('/', StringComparison.Ordinal);
        var colon = file.IndexOf(':', StringComparison.Ordinal);
        if (file.StartsWith('/') || (colon >= 0 && (firstSlash < 0 || colon < firstSlash)))
        {
            throw new ArgumentException($"'{path}' is not a relative path; report links must stay inside the report's folder tree", nameof(path));
        }

        var href = string.Join('/', file.Split('/').Select(Uri.EscapeDataString));
        return fragment is null ? href : href + "#" + Uri.EscapeDataString(fragment);
    }

    private static string[] UniqueIds(IEnumerable<string> titles)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return titles.Select(title =>
        {
            var id = "s-" + Slug.From(title, "section");
            var unique = id;
            for (var n = 2; !seen.Add(unique); n++)
            {
                unique = string.Create(CultureInfo.InvariantCulture, $"{id}-{n}");
            }

            return unique;
        }).ToArray();
    }
}
