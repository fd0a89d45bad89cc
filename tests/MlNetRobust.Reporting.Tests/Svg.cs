using System.Xml.Linq;

namespace MlNetRobust.Reporting.Tests;

/// <summary>Reads rendered SVG back for assertions: parsing with XDocument is itself the
/// well-formedness check.</summary>
internal static class Svg
{
    public static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    public static XDocument Parse(string svg) => XDocument.Parse(svg);

    /// <summary>Elements carrying <paramref name="cssClass"/> (one of their classes).</summary>
    public static List<XElement> WithClass(this XContainer root, string cssClass) =>
        root.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) == true).ToList();

    /// <summary>The texts of the tick labels of the axis group with <paramref name="axisClass"/>.</summary>
    public static List<string> TickLabels(this XContainer root, string axisClass) =>
        root.WithClass(axisClass).Single().WithClass("tick").Select(t => t.Value).ToList();
}
