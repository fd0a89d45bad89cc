using System.Buffers.Binary;
using System.Xml;
using MlNetRobust.Reporting.Charts;
using MlNetRobust.Reporting.Images;

namespace MlNetRobust.Reporting.Html;

/// <summary>An image in the report: an SVG chart or a PNG, written as its own file next to the report
/// and shown with a caption. Build one with <see cref="FromChart"/>, <see cref="FromSampleGrid"/>,
/// <see cref="Svg"/> or <see cref="Png"/>.</summary>
public sealed class ReportFigure
{
    private ReportFigure(string name, string extension, byte[] content, int? width, int? height, string? caption, string altText)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Extension = extension;
        Content = content;
        Width = width;
        Height = height;
        Caption = caption;
        AltText = altText;
    }

    /// <summary>Names the figure's file (made safe and numbered by the writer).</summary>
    public string Name { get; }

    /// <summary>"svg" or "png".</summary>
    public string Extension { get; }

    /// <summary>The file's bytes.</summary>
    public byte[] Content { get; }

    /// <summary>The intrinsic size, when known (from the SVG's root or the PNG's header).</summary>
    public int? Width { get; }

    public int? Height { get; }

    public string? Caption { get; }

    /// <summary>What the figure shows, for screen readers and when it fails to load.</summary>
    public string AltText { get; }

    /// <summary>A chart, rendered now; its accessible description becomes the alt text.</summary>
    public static ReportFigure FromChart(string name, SvgChart chart, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return Svg(name, chart.ToSvg(), caption);
    }

    /// <summary>A sample grid as PNG; the caption names its columns (the image itself holds no text).</summary>
    public static ReportFigure FromSampleGrid(string name, SampleGrid grid, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var columns = "Columns: " + string.Join(" \u00b7 ", grid.ColumnNames) + ".";
        var text = string.IsNullOrEmpty(caption) ? columns : $"{caption} {columns}";
        return Png(name, grid.ToPng(), text, $"Sample grid, one row per sample. {columns}");
    }

    /// <summary>An SVG document; alt text defaults to its <c>&lt;desc&gt;</c> or <c>&lt;title&gt;</c>.</summary>
    public static ReportFigure Svg(string name, string svg, string? caption = null, string? altText = null)
    {
        ArgumentNullException.ThrowIfNull(svg);
        var (width, height, title, description) = ReadSvgRoot(svg);
        return new ReportFigure(name, "svg", new System.Text.UTF8Encoding(false).GetBytes(svg), width, height, caption,
            altText ?? description ?? title ?? caption ?? name);
    }

    /// <summary>A PNG file's bytes.</summary>
    public static ReportFigure Png(string name, byte[] png, string? caption = null, string? altText = null)
    {
        ArgumentNullException.ThrowIfNull(png);
        // Signature (8), IHDR length and type (8), then width and height.
        if (png.Length < 24 || png[1] != 'P' || png[2] != 'N' || png[3] != 'G')
        {
            throw new ArgumentException("not a PNG file", nameof(png));
        }

        var width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16));
        var height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        return new ReportFigure(name, "png", png, width, height, caption, altText ?? caption ?? name);
    }

    // The root's width and height (plain numbers or px), and the text of its first <title> and <desc>.
    private static (int? Width, int? Height, string? Title, string? Description) ReadSvgRoot(string svg)
    {
        int? width = null, height = null;
        string? title = null, description = null;
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(svg), settings);
            if (reader.MoveToContent() == XmlNodeType.Element)
            {
                width = Pixels(reader.GetAttribute("width"));
                height = Pixels(reader.GetAttribute("height"));
                var depth = reader.Depth;
                reader.Read();
                while (!reader.EOF && reader.Depth > depth && (title is null || description is null))
                {
                    if (reader.NodeType != XmlNodeType.Element || reader.Depth != depth + 1)
                    {
                        reader.Read();
                    }
                    else if (reader.LocalName == "title")
                    {
                        // Reading the content leaves the reader on the next node.
                        var text = reader.ReadElementContentAsString();
                        title ??= text;
                    }
                    else if (reader.LocalName == "desc")
                    {
                        var text = reader.ReadElementContentAsString();
                        description ??= text;
                    }
                    else
                    {
                        break; // title and desc come first, if at all
                    }
                }
            }
        }
        catch (XmlException e)
        {
            throw new ArgumentException($"not a well-formed SVG document: {e.Message}", nameof(svg), e);
        }

        return (width, height, title, description);
    }

    private static int? Pixels(string? length)
    {
        if (length is null)
        {
            return null;
        }

        var number = length.EndsWith("px", StringComparison.Ordinal) ? length[..^2] : length;
        return double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value > 0 && value < 100_000 ? (int)Math.Ceiling(value) : null;
    }
}
