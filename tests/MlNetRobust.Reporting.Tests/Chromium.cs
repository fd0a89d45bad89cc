using System.Diagnostics;

namespace MlNetRobust.Reporting.Tests;

/// <summary>Runs headless Chromium (Debian's <c>chromium</c> package, which <c>make test</c> installs)
/// on local files: no network, no profile (a fresh one per run), no GPU.</summary>
internal static class Chromium
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    /// <summary><c>MLNR_CHROMIUM</c> if set, else <c>/usr/bin/chromium</c>.</summary>
    public static string Executable { get; } =
        Environment.GetEnvironmentVariable("MLNR_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    public static bool IsAvailable => File.Exists(Executable);

    /// <summary>Set by <c>make test</c>: a missing browser then fails the test instead of skipping it.</summary>
    public static bool IsRequired { get; } = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MLNR_REQUIRE_BROWSER"));

    /// <summary>The page's DOM after its scripts ran (and the load event fired).</summary>
    public static string DumpDom(string page) => Run(page, "--dump-dom");

    /// <summary>Saves a PNG of the top of the page at the given window size.</summary>
    public static void Screenshot(string page, string png, int width, int height) =>
        Run(page, $"--screenshot={png}", $"--window-size={width},{height}", "--hide-scrollbars");

    private static string Run(string page, params string[] extra)
    {
        var profile = Directory.CreateTempSubdirectory("mlnr-chromium-");
        try
        {
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            string[] arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--disable-extensions", "--mute-audio",
                $"--user-data-dir={profile.FullName}", "--virtual-time-budget=5000",
                .. extra,
                new Uri(page).AbsoluteUri,
            ];
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish within {s_timeout}; stderr:\n{error.GetAwaiter().GetResult()}");
            }

            process.WaitForExit(); // let the output readers finish
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"chromium exited with {process.ExitCode}; stderr:\n{error.GetAwaiter().GetResult()}");
            }

            return output.GetAwaiter().GetResult();
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still be releasing its profile; a leftover temp folder is harmless.
            }
        }
    }
}

/// <summary>A fact that needs Chromium: skipped when the browser is missing, unless
/// <c>MLNR_REQUIRE_BROWSER</c> is set (as <c>make test</c> does), in which case it runs and fails.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!Chromium.IsAvailable && !Chromium.IsRequired)
        {
            Skip = $"needs Chromium at {Chromium.Executable} (apt-get install chromium, or set MLNR_CHROMIUM); " +
                "set MLNR_REQUIRE_BROWSER=1 to fail instead of skipping.";
        }
    }
}
