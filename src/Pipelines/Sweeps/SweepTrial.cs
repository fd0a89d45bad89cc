namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>
/// A finished trial as the trial log stores it (one JSON line each): its number, configuration, epochs, status,
/// score and metrics, how long it took and its folder (relative to the sweep's).
/// </summary>
public sealed record SweepTrial(
    int Id,
    string Key,
    IReadOnlyDictionary<string, double> Parameters,
    int Epochs,
    TrialStatus Status,
    double? Score,
    IReadOnlyDictionary<string, double> Metrics,
    double Seconds,
    string Folder,
    DateTime FinishedUtc,
    string? Message = null);
