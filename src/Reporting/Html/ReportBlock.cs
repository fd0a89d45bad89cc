namespace MlNetRobust.Reporting.Html;

/// <summary>Something a <see cref="ReportSection"/> holds: text, a key/value list, a table, figures or
/// links. The set is closed (the renderer knows each kind).</summary>
public abstract class ReportBlock
{
    private protected ReportBlock()
    {
    }
}
