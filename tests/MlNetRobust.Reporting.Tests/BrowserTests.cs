using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using MlNetRobust.Reporting.Html;
using Xunit.Abstractions;

namespace MlNetRobust.Reporting.Tests;

/// <summary>Opens a generated report in headless Chromium from disk, as a user would.</summary>
public sealed partial class BrowserTests(ITestOutputHelper output)
{
    // Injected into a test-only copy of the page: after the load event (all images loaded or failed),
    // records how many images there are and which did not decode, whether the report's own script
    // ran (it marks sortable headers), and what clicking a numeric header does to the row order.
    private const string Probe = """
        <script>
        window.addEventListener('load', function () {
          var body = document.body, broken = [];
          Array.prototype.forEach.call(document.images, function (img) {
            if (!img.complete || img.naturalWidth === 0) broken.push(img.getAttribute('src'));
          });
          body.setAttribute('data-probe-images', String(document.images.length));
          body.setAttribute('data-probe-broken', broken.join(' '));
          body.setAttribute('data-probe-sortable', String(document.querySelectorAll('th.sortable').length));
          var table = document.querySelector('table.sortable');
          var pgd = Array.prototype.findIndex.call(table.tHead.rows[0].cells, function (th) { return th.textContent === 'PGD'; });
          table.tHead.rows[0].cells[pgd].click();
          var values = Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.cells[pgd].getAttribute('data-v'); });
          body.setAttribute('data-probe-sorted', values.join(' '));
        });
        </script>
        """;

    [GeneratedRegex("data-probe-([a-z]+)=\"([^\"]*)\"")]
    private static partial Regex ProbeAttribute();

    [ChromiumFact]
    public void Every_image_and_chart_of_a_generated_report_loads_in_a_browser()
    {
        var folder = new TempFolder("mlnr-report-browser-") { Keep = true }; // kept as the test's artifact
        var page = HtmlReportWriter.Write(ExampleReport.Build(), folder.Path);
        var check = Path.Combine(folder.Path, "report.check.html");
        File.WriteAllText(check, File.ReadAllText(page).Replace("</body>", Probe + "</body>", StringComparison.Ordinal));

        var dom = Chromium.DumpDom(check);
        var probe = ProbeAttribute().Matches(dom).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.True(probe.ContainsKey("images"), "the probe did not run; the DOM was:\n" + dom[..Math.Min(dom.Length, 2000)]);
        Assert.Equal("7", probe["images"]);
        Assert.Equal(string.Empty, probe["broken"]);
        Assert.NotEqual("0", probe["sortable"]);
        var sorted = probe["sorted"].Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(sorted.OrderByDescending(v => v), sorted);

        var screenshot = Path.Combine(folder.Path, "screenshot.png");
        Chromium.Screenshot(page, screenshot, 1280, 2000);
        var png = File.ReadAllBytes(screenshot);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        output.WriteLine($"report: {page}\nscreenshot: {screenshot} ({png.Length:N0} bytes)");

        // MLNR_UPDATE_DOCS_SCREENSHOT=1 refreshes the picture in the docs (review it before committing).
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MLNR_UPDATE_DOCS_SCREENSHOT")))
        {
            var docs = Path.Combine(RepositoryRoot(), "docs", "images");
            Directory.CreateDirectory(docs);
            File.Copy(screenshot, Path.Combine(docs, "report-example.png"), overwrite: true);
        }
    }

    private static string RepositoryRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));
}
