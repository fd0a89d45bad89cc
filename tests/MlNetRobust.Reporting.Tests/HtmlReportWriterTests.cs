using System.Text.RegularExpressions;
using MlNetRobust.Reporting.Charts;
using MlNetRobust.Reporting.Html;

namespace MlNetRobust.Reporting.Tests;

public sealed partial class HtmlReportWriterTests
{
    [GeneratedRegex("(?:src|href)=\"([^\"]*)\"")]
    private static partial Regex Reference();

    private static ReportTable Scores(params ReportRow[] rows)
    {
        var table = new ReportTable(
            new ReportColumn("Scenario"),
            new ReportColumn("Clean") { Format = NumberFormat.Percent(1), Best = BestValue.Highest },
            new ReportColumn("Loss") { Format = NumberFormat.Fixed(3), Best = BestValue.Lowest });
        foreach (var row in rows)
        {
            table.Rows.Add(row);
        }

        return table;
    }

    private static string Cell(string html, string text) =>
        Regex.Match(html, "<td[^>]*>" + Regex.Escape(text) + "</td>").Value;

    [Fact]
    public void The_folder_holds_the_page_and_every_figure_it_links_to_by_relative_path()
    {
        using var folder = new TempFolder();
        var page = HtmlReportWriter.Write(ExampleReport.Build(), folder.Path);
        Assert.Equal(Path.Combine(folder.Path, "report.html"), page);
        var html = File.ReadAllText(page);
        var references = Reference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        var files = references.Where(r => !r.StartsWith('#')).ToList();
        Assert.Equal(7, files.Count(f => f.StartsWith("figures/", StringComparison.Ordinal)));
        Assert.All(files, f =>
        {
            Assert.False(Uri.TryCreate(f, UriKind.Absolute, out _), $"{f} is not relative");
            Assert.True(File.Exists(Path.Combine(folder.Path, f)), $"{f} is missing");
        });
        var anchors = references.Where(r => r.StartsWith('#')).Select(r => r[1..]).ToList();
        Assert.All(anchors, a => Assert.Contains($"id=\"{a}\"", html, StringComparison.Ordinal));
        Assert.Equal(11, anchors.Count);
    }

    [Fact]
    public void Nothing_is_fetched_from_the_network()
    {
        var html = HtmlReportWriter.Render(ExampleReport.Build()).Html;
        Assert.DoesNotContain("http:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.Contains("Content-Security-Policy", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_from_data_is_escaped_everywhere()
    {
        const string Hostile = "<script>alert(1)</script>\"'&";
        var document = new ReportDocument(Hostile) { Subtitle = Hostile, Facts = [KeyValuePair.Create(Hostile, Hostile)] };
        var table = new ReportTable(new ReportColumn(Hostile) { Description = Hostile }) { Caption = Hostile };
        table.Rows.Add(new ReportRow(Hostile));
        document.Sections.Add(new ReportSection(Hostile, new TextBlock(Hostile), new TextBlock(Hostile, TextStyle.Note),
            new TextBlock(Hostile, TextStyle.Preformatted), new KeyValueBlock([KeyValuePair.Create(Hostile, Hostile)]), table,
            new LinkListBlock(new ReportLink(Hostile, "runs/a.html") { Description = Hostile })));
        document.Sections.Add(new ReportSection("figures", new FigureBlock(ReportFigure.FromChart(Hostile,
            new BarChart { Title = Hostile, Categories = [Hostile], Series = [new BarSeries(Hostile, [1.0])] }, Hostile))));
        var html = HtmlReportWriter.Render(document).Html;
        // Our own script is the only one; every hostile copy arrives as text.
        Assert.Single(Regex.Matches(html, "<script", RegexOptions.IgnoreCase));
        Assert.True(Regex.Matches(html, Regex.Escape("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;")).Count >= 15);
    }

    [Fact]
    public void The_best_value_of_each_column_is_highlighted_ties_included()
    {
        var html = HtmlReportWriter.Render(new ReportDocument("t")
        {
            Sections =
            [
                new ReportSection("scores", Scores(
                    new ReportRow("a", 0.9, 0.31),
                    new ReportRow("b", 0.9, 0.2),
                    new ReportRow("c", 0.5, ReportCell.Empty),
                    new ReportRow("mean", 0.95, 0.1) { IsSummary = true })),
            ],
        }).Html;
        Assert.Equal(2, Regex.Matches(html, "class=\"num best\" data-v=\"0.9\"").Count);
        Assert.Contains("class=\"num best\"", Cell(html, "0.200"), StringComparison.Ordinal);
        Assert.DoesNotContain("best", Cell(html, "0.310"), StringComparison.Ordinal);
        // The summary row sits in the foot and is never "best", even with better numbers.
        Assert.Contains("<tfoot>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("best", Cell(html, "95.0%"), StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">\u2014</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Numbers_are_formatted_by_their_column_and_keep_their_value_for_sorting()
    {
        var html = HtmlReportWriter.Render(new ReportDocument("t") { Sections = [new ReportSection("s", Scores(new ReportRow("a", 0.8342, 1.23456)))] }).Html;
        Assert.Contains("<td class=\"num\" data-v=\"0.8342\">83.4%</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\" data-v=\"1.23456\">1.235</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\" class=\"num\">Clean</th>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_cells_is_refused()
    {
        var document = new ReportDocument("t") { Sections = [new ReportSection("s", Scores(new ReportRow("a", 0.5)))] };
        var error = Assert.Throws<ArgumentException>(() => HtmlReportWriter.Render(document));
        Assert.Contains("row 0 has 2 cells for 3 columns", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_data_split_lists_each_class_with_shares_and_a_total()
    {
        var section = ReportSections.DataSplit([new ClassSplit("cat", 80, 20), new ClassSplit("dog", 60, 40), new ClassSplit("empty", 0, 0)]);
        var html = HtmlReportWriter.Render(new ReportDocument("t") { Sections = [section] }).Html;
        Assert.Contains("<th scope=\"col\">Tag</th>", html, StringComparison.Ordinal);
        Assert.Matches("<tr><td>dog</td><td[^>]*>60</td><td[^>]*>40</td><td[^>]*>100</td><td[^>]*>60.0%</td><td[^>]*>40.0%</td></tr>", html);
        Assert.Matches("<tfoot>\n<tr><td>total</td><td[^>]*>140</td><td[^>]*>60</td><td[^>]*>200</td><td[^>]*>70.0%</td><td[^>]*>30.0%</td></tr>", html);
        Assert.Matches("<tr><td>empty</td><td[^>]*>0</td><td[^>]*>0</td><td[^>]*>0</td><td class=\"num\">\u2014</td><td class=\"num\">\u2014</td></tr>", html);
    }

    [Fact]
    public void Figures_carry_their_size_and_alt_text()
    {
        var chart = new BarChart { Title = "Per corruption", Categories = ["fog"], Series = [new BarSeries("s", [0.5])], Width = 500, Height = 300 };
        var rendered = HtmlReportWriter.Render(new ReportDocument("t")
        {
            Sections = [new ReportSection("s", new FigureBlock(ReportFigure.FromChart("Per corruption!", chart, "caption")))],
        });
        Assert.Equal("figures/01-per-corruption.svg", Assert.Single(rendered.Assets).RelativePath);
        Assert.Matches("<img src=\"figures/01-per-corruption.svg\" alt=\"Bar chart of values[^\"]*\" width=\"500\" height=\"300\"", rendered.Html);
        Assert.Contains("<figcaption>caption</figcaption>", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Rendering_is_deterministic()
    {
        var a = HtmlReportWriter.Render(ExampleReport.Build());
        var b = HtmlReportWriter.Render(ExampleReport.Build());
        Assert.Equal(a.Html, b.Html);
        Assert.Equal(a.Assets.Select(x => x.RelativePath), b.Assets.Select(x => x.RelativePath));
        Assert.All(a.Assets.Zip(b.Assets), pair => Assert.Equal(pair.First.Content, pair.Second.Content));
    }

    [Theory]
    [InlineData("runs/pgd eps8/report.html", "runs/pgd%20eps8/report.html")]
    [InlineData("../report.html#s-comparison", "../report.html#s-comparison")]
    [InlineData("runs\\a.html", "runs/a.html")]
    public void Links_become_encoded_relative_urls(string path, string expected) =>
        Assert.Equal(expected, HtmlReportWriter.RelativeHref(path));

    [Theory]
    [InlineData("https://example.com/x.html")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/etc/passwd")]
    [InlineData("C:\\runs\\a.html")]
    [InlineData("//server/share")]
    public void Links_that_leave_the_folder_tree_are_refused(string path) =>
        Assert.Throws<ArgumentException>(() => HtmlReportWriter.RelativeHref(path));

    [Fact]
    public void Section_ids_are_unique_even_for_equal_titles()
    {
        var html = HtmlReportWriter.Render(new ReportDocument("t")
        {
            Sections = [new ReportSection("Notes", new TextBlock("a")), new ReportSection("Notes", new TextBlock("b"))],
        }).Html;
        Assert.Contains("id=\"s-notes\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"s-notes-2\"", html, StringComparison.Ordinal);
    }
}
