namespace MlNetRobust.Reporting.Html;

/// <summary>Figures shown side by side, wrapping onto more lines as the page narrows.</summary>
public sealed class FigureBlock(params IReadOnlyList<ReportFigure> figures) : ReportBlock
{
    public IReadOnlyList<ReportFigure> Figures { get; } = figures;
}
