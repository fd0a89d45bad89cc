using System.Runtime.CompilerServices;
using System.Text;

namespace MlNetRobust.Reporting.Tests;

/// <summary>Compares output with a committed <c>Golden/NAME.verified.EXT</c> file (Verify's naming).
/// On a difference the output is written beside it as <c>NAME.received.EXT</c> to diff against.
/// To accept a deliberate change, run the test once with <c>MLNR_UPDATE_GOLDEN=1</c> (it rewrites the
/// verified file and passes), review the diff, and commit it.</summary>
internal static class GoldenFile
{
    public static void Verify(string name, string extension, string actual, [CallerFilePath] string callerPath = "")
    {
        var folder = Path.Combine(Path.GetDirectoryName(callerPath)!, "Golden");
        var verified = Path.Combine(folder, $"{name}.verified.{extension}");
        var received = Path.Combine(folder, $"{name}.received.{extension}");
        var utf8 = new UTF8Encoding(false);
        Directory.CreateDirectory(folder);
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MLNR_UPDATE_GOLDEN")))
        {
            File.WriteAllText(verified, actual, utf8);
            File.Delete(received);
            return;
        }

        if (!File.Exists(verified))
        {
            File.WriteAllText(received, actual, utf8);
            Assert.Fail($"no golden file {verified}; the output is in {received}. Review it, then run with MLNR_UPDATE_GOLDEN=1 to accept it.");
        }

        // Line endings normalised, in case a checkout converted them.
        var expected = File.ReadAllText(verified, utf8).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected != actual)
        {
            File.WriteAllText(received, actual, utf8);
            Assert.Fail($"output differs from {verified}; see {received} (diff the two). " +
                "If the change is intended, run the test with MLNR_UPDATE_GOLDEN=1 and commit the new verified file.");
        }

        File.Delete(received);
    }
}
