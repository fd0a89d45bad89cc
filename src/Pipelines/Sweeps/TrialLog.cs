using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>
/// The sweep's memory: <c>trials.jsonl</c> in its folder, JSON lines. The first line identifies the sweep
/// (<c>{"sweep":{"format":1,"identity":{…}}}</c>); every later line is one finished trial (<c>{"trial":{…}}</c>).
/// A trial is appended as one write of one whole line and flushed to disk before the sweep goes on, so a kill
/// loses at most the trial that was running; a torn last line (no newline) is dropped when the log is reopened.
/// Reopening a log written by another sweep is refused: its trials would mean something else.
/// </summary>
internal sealed class TrialLog
{
    public const string FileName = "trials.jsonl";
    public const int Format = 1;

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private readonly List<SweepTrial> _trials;

    private TrialLog(string path, List<SweepTrial> trials) => (Path, _trials) = (path, trials);

    public string Path { get; }

    public IReadOnlyList<SweepTrial> Trials => _trials;

    private sealed record Header(int Format, IReadOnlyDictionary<string, string> Identity);

    private sealed record Line(Header? Sweep = null, SweepTrial? Trial = null);

    /// <summary>Reads the log in <paramref name="folder"/> (creating it with its header when there is none).</summary>
    /// <exception cref="SweepLogMismatchException">The log belongs to a sweep with another identity.</exception>
    /// <exception cref="InvalidDataException">A line is not a record of this format.</exception>
    public static TrialLog Open(string folder, IReadOnlyDictionary<string, string> identity)
    {
        Directory.CreateDirectory(folder);
        var path = System.IO.Path.Combine(folder, FileName);
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            var header = JsonSerializer.Serialize(new Line(Sweep: new Header(Format, identity)), Json) + "\n";
            var temp = path + ".tmp";
            File.WriteAllText(temp, header);
            File.Move(temp, path, overwrite: true);
            return new TrialLog(path, []);
        }
        var text = File.ReadAllText(path);
        var complete = text.LastIndexOf('\n') + 1;
        if (complete < text.Length)
        {
            // The process died while appending: the torn line is a trial that never finished.
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.SetLength(Encoding.UTF8.GetByteCount(text.AsSpan(0, complete)));
        }
        var lines = text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || Parse(lines[0], path, 1).Sweep is not { } found)
        {
            throw new InvalidDataException($"'{path}' is not a sweep's trial log (its first line does not describe a sweep)");
        }
        if (found.Format > Format)
        {
            throw new InvalidDataException($"'{path}' has trial-log format {found.Format}, newer than this build reads ({Format})");
        }
        var differences = identity.Keys.Union(found.Identity.Keys)
            .Where(k => !found.Identity.TryGetValue(k, out var theirs) || !identity.TryGetValue(k, out var ours) || theirs != ours)
            .Select(k => $"{k}: '{found.Identity.GetValueOrDefault(k, "(none)")}' there, '{identity.GetValueOrDefault(k, "(none)")}' here")
            .ToList();
        if (differences.Count > 0)
        {
            throw new SweepLogMismatchException($"the trial log '{path}' belongs to a different sweep ({string.Join("; ", differences)}); use another output folder, or delete it to start over");
        }
        var trials = new List<SweepTrial>();
        for (var i = 1; i < lines.Length; i++)
        {
            trials.Add(Parse(lines[i], path, i + 1).Trial ?? throw new InvalidDataException($"'{path}' line {i + 1}: not a trial record"));
        }
        return new TrialLog(path, trials);
    }

    private static Line Parse(string line, string path, int number)
    {
        try
        {
            return JsonSerializer.Deserialize<Line>(line, Json) ?? throw new InvalidDataException($"'{path}' line {number}: empty record");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' line {number}: not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>Appends one trial as one line and waits until it is on disk.</summary>
    public void Append(SweepTrial trial)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Line(Trial: trial), Json) + "\n");
        using (var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        _trials.Add(trial);
    }
}
