using System.Globalization;

namespace MlNetRobust.Reporting.Images;

/// <summary>A grid of samples as one PNG: a row per sample, a column per variant (the first is the
/// reference, usually clean), and after each other variant the amplified difference
/// |x' − x| × <see cref="DifferenceGain"/>, clamped to [0, 1], so an 8/255 perturbation becomes visible.
/// No text is drawn into the image; <see cref="ColumnNames"/> says what the columns are, for a caption.</summary>
/// <example><code>
/// var grid = new SampleGrid { Variants = [new("clean", clean), new("fog", fog), new("PGD", pgd)], Scale = 3 };
/// File.WriteAllBytes("samples.png", grid.ToPng());   // columns: grid.ColumnNames
/// </code></example>
public sealed class SampleGrid
{
    /// <summary>The columns' images; the first is the reference the differences are taken against.</summary>
    public required IReadOnlyList<ImageVariant> Variants { get; init; }

    /// <summary>k in |x' − x| × k. An 8/255 attack at k = 10 shows as about 31% brightness.</summary>
    public float DifferenceGain { get; init; } = 10;

    /// <summary>Each pixel becomes a Scale × Scale block (nearest neighbour), so 32 × 32 samples can be seen.</summary>
    public int Scale { get; init; } = 3;

    /// <summary>White space between cells, in output pixels.</summary>
    public int Gap { get; init; } = 4;

    /// <summary>Draws at most this many samples (rows); by default all of them.</summary>
    public int? MaxRows { get; init; }

    /// <summary>What each column of <see cref="Render"/> shows, left to right.</summary>
    public IReadOnlyList<string> ColumnNames => Columns().Select(c => c.Name).ToArray();

    /// <summary>Draws the grid.</summary>
    public RgbImage Render()
    {
        Validate();
        var reference = Variants[0].Images;
        var rows = Math.Min(reference.Count, MaxRows ?? int.MaxValue);
        var columns = Columns();
        int cellWidth = reference.Width * Scale, cellHeight = reference.Height * Scale;
        var image = new RgbImage(
            Math.Max(1, columns.Count * cellWidth + (columns.Count + 1) * Gap),
            Math.Max(1, rows * cellHeight + (rows + 1) * Gap));
        for (var n = 0; n < rows; n++)
        {
            for (var col = 0; col < columns.Count; col++)
            {
                Draw(image, columns[col].Images, columns[col].Difference ? reference : null, n,
                    Gap + col * (cellWidth + Gap), Gap + n * (cellHeight + Gap));
            }
        }

        return image;
    }

    /// <summary>The grid as a PNG file.</summary>
    public byte[] ToPng() => PngEncoder.Encode(Render());

    private List<(string Name, ImageBatch Images, bool Difference)> Columns()
    {
        var gain = DifferenceGain.ToString("0.##", CultureInfo.InvariantCulture);
        var referenceName = Variants.Count > 0 ? Variants[0].Name : string.Empty;
        var columns = new List<(string, ImageBatch, bool)>();
        for (var i = 0; i < Variants.Count; i++)
        {
            columns.Add((Variants[i].Name, Variants[i].Images, false));
            if (i > 0 && Variants[i].ShowDifference)
            {
                columns.Add(($"|{Variants[i].Name} \u2212 {referenceName}| \u00d7 {gain}", Variants[i].Images, true));
            }
        }

        return columns;
    }

    private void Draw(RgbImage image, ImageBatch images, ImageBatch? reference, int n, int left, int top)
    {
        for (var y = 0; y < images.Height; y++)
        {
            for (var x = 0; x < images.Width; x++)
            {
                var r = Pixel(images, reference, n, 0, y, x);
                var g = Pixel(images, reference, n, 1, y, x);
                var b = Pixel(images, reference, n, 2, y, x);
                for (var dy = 0; dy < Scale; dy++)
                {
                    for (var dx = 0; dx < Scale; dx++)
                    {
                        image.SetPixel(left + x * Scale + dx, top + y * Scale + dy, r, g, b);
                    }
                }
            }
        }
    }

    private byte Pixel(ImageBatch images, ImageBatch? reference, int n, int c, int y, int x)
    {
        var value = Clamp01(images[n, c, y, x]);
        if (reference is not null)
        {
            value = Clamp01(Math.Abs(value - Clamp01(reference[n, c, y, x])) * DifferenceGain);
        }

        return (byte)MathF.Round(value * 255);
    }

    // NaN counts as 0 (black), so a broken input shows rather than throws.
    private static float Clamp01(float value) => float.IsNaN(value) ? 0 : Math.Clamp(value, 0, 1);

    private void Validate()
    {
        if (Variants.Count == 0)
        {
            throw new ArgumentException("a sample grid needs at least one variant");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Scale, 1, nameof(Scale));
        ArgumentOutOfRangeException.ThrowIfNegative(Gap, nameof(Gap));
        if (!float.IsFinite(DifferenceGain) || DifferenceGain < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(DifferenceGain), DifferenceGain, "expected a finite, non-negative gain");
        }

        var reference = Variants[0].Images;
        foreach (var variant in Variants)
        {
            var images = variant.Images;
            if (images.Height != reference.Height || images.Width != reference.Width || images.Count < Math.Min(reference.Count, MaxRows ?? int.MaxValue))
            {
                throw new ArgumentException(
                    $"variant '{variant.Name}' holds {images.Count} images of {images.Width}×{images.Height}; " +
                    $"the reference '{Variants[0].Name}' holds {reference.Count} of {reference.Width}×{reference.Height}");
            }
        }
    }
}
