using MlNetRobust.Reporting.Html;

namespace MlNetRobust.Pipelines.Experiments;

/// <summary>
/// The facts about an experiment's data that its report shows — sizes, classes, the per-class split. The runner
/// writes it as OUT/data.json, so the report can be rebuilt later without the images (<see cref="ReportRebuilder"/>).
/// </summary>
public sealed record ExperimentDataSummary(
    string DataFolder,
    IReadOnlyList<string> ClassNames,
    long Train,
    long Validation,
    long Test,
    long PgdSubset,
    int CorruptionSubset,
    IReadOnlyList<ClassSplit> Split)
{
    public static ExperimentDataSummary From(ExperimentData data) => new(data.DataFolder, data.ClassNames, data.Train.RowCount, data.Validation.RowCount,
        data.Test.RowCount, data.PgdSubset.RowCount, data.CorruptionSubsetSize, data.Split.Table.Classes.Select(c => new ClassSplit(c.Tag, c.Train, c.Test)).ToList());
}
