using MlNetRobust.Catalogs;
using MlNetRobust.Estimators;
using MlNetRobust.Transforms.Images;

namespace MlNetRobust;

/// <summary>The image conversions on <c>ctx.Transforms</c> (as ML.NET's ImageEstimatorsCatalog); defaults in each transformer's Defaults.</summary>
public static class ImageTransformsCatalog
{
    /// <summary>Makes every image 3-channel RGB (gray repeated, alpha dropped or composited on white); see <see cref="RgbConverter"/>.</summary>
    public static TrivialEstimator<RgbConverter> ConvertToRgb(this TransformsCatalog catalog,
        string outputColumnName = RgbConverter.Defaults.Column, string? inputColumnName = null, AlphaHandling alpha = RgbConverter.Defaults.Alpha) =>
        new(new RgbConverter(new RgbConverter.Options(outputColumnName, inputColumnName ?? outputColumnName, alpha)));

    /// <summary>Resizes every image to width x height (bilinear, antialiased when shrinking); see <see cref="ImageResizer"/>.</summary>
    public static TrivialEstimator<ImageResizer> ResizeImages(this TransformsCatalog catalog, int width, int height,
        string outputColumnName = ImageResizer.Defaults.Column, string? inputColumnName = null, bool antialias = ImageResizer.Defaults.Antialias) =>
        new(new ImageResizer(new ImageResizer.Options(width, height, outputColumnName, inputColumnName ?? outputColumnName, antialias)));

    /// <summary>
    /// RGB images → float32 [3, H, W] in [0, 1], not normalised; <paramref name="mean"/> and <paramref name="std"/> are
    /// recorded on the column for the model to apply. See <see cref="PixelExtractor"/>.
    /// </summary>
    public static TrivialEstimator<PixelExtractor> ExtractPixels(this TransformsCatalog catalog,
        (double R, double G, double B)? mean = null, (double R, double G, double B)? std = null,
        string outputColumnName = PixelExtractor.Defaults.OutputColumn, string inputColumnName = PixelExtractor.Defaults.InputColumn) =>
        new(new PixelExtractor(new PixelExtractor.Options(
            mean is { } m ? [m.R, m.G, m.B] : null, std is { } s ? [s.R, s.G, s.B] : null, outputColumnName, inputColumnName)));
}
