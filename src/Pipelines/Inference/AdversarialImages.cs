using MlNetRobust.Data;
using MlNetRobust.Reporting.Images;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Attacks;

namespace MlNetRobust.Pipelines.Inference;

/// <summary>How adversarial images are stored: PNG keeps the perturbation exactly; JPEG (quality 95) blurs part of it away.</summary>
public enum SavedImageFormat
{
    Png,
    Jpeg,
}

/// <summary>
/// Writes adversarial images as files, <c>FOLDER/&lt;true class&gt;/&lt;source file name&gt;.png</c> (each file written
/// atomically), and draws the clean/adversarial comparison grid.
/// </summary>
public sealed class AdversarialImages(string folder, IReadOnlyList<string> classes, SavedImageFormat format = SavedImageFormat.Png)
{
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private readonly List<string> _written = [];

    public IReadOnlyList<string> Written => _written;

    /// <summary>Saves every image of an attacked batch (float [N, 3, H, W] in [0, 1] in Features, with Label and, when present, ImagePath).</summary>
    public void Write(DataBatch batch)
    {
        using var scope = torch.NewDisposeScope();
        var images = batch.GetTensor(DefaultColumnNames.Features);
        var pixels = images.mul(255).round().clamp(0, 255).to(ScalarType.Byte).permute(0, 2, 3, 1).contiguous();
        var labels = batch.GetKeys(DefaultColumnNames.Label);
        var paths = batch.Schema.Contains(DefaultColumnNames.ImagePath) ? batch.GetText(DefaultColumnNames.ImagePath) : null;
        var (height, width) = ((int)pixels.shape[1], (int)pixels.shape[2]);
        for (var i = 0; i < batch.Count; i++)
        {
            var stem = paths is null ? $"row-{batch.RowIds[i]}" : Path.GetFileNameWithoutExtension(paths[i]);
            var classFolder = Path.Combine(folder, classes[labels[i]]);
            var extension = format == SavedImageFormat.Png ? ".png" : ".jpg";
            var target = Path.Combine(classFolder, stem + extension);
            if (!_taken.Add(target))
            {
                // Two sources with one name (nested folders): the row id keeps them apart.
                target = Path.Combine(classFolder, $"{stem}-{batch.RowIds[i]}{extension}");
                _taken.Add(target);
            }
            Directory.CreateDirectory(classFolder);
            var image = pixels.select(0, i);
            byte[] bytes;
            if (format == SavedImageFormat.Png)
            {
                var rgb = new RgbImage(width, height);
                image.ToBytes().CopyTo(rgb.Pixels, 0);
                bytes = PngEncoder.Encode(rgb);
            }
            else
            {
                bytes = Imaging.EncodeJpeg(image.contiguous(), 95);
            }
            var temp = target + ".tmp";
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, target, overwrite: true);
            _written.Add(target);
        }
    }

    /// <summary>
    /// One image per class (seeded choice) of <paramref name="labelled"/>: clean, attacked, and the change ×10 —
    /// as a PNG, the same picture as the report's sample grids.
    /// </summary>
    public static byte[] Grid(RobustContext ctx, SavedModel model, IDataView labelled, AttackOptions attack, int seed)
    {
        var rows = model.Prepare(ctx.Data.TakeStratified(labelled, 1, seed + 5));
        var attacked = ctx.Transforms.Attack(model.Model, attack, seed: seed).Fit(rows).Transform(rows);
        return new SampleGrid { Variants = [Read("clean", rows), Read(ModelEvaluator.SetName(attack), attacked)], Scale = 3 }.ToPng();
    }

    private static ImageVariant Read(string name, IDataView view)
    {
        using var batch = view.GetRows(Enumerable.Range(0, (int)view.RowCount).Select(i => (long)i).ToArray());
        using var images = batch.GetTensor(DefaultColumnNames.Features).to(ScalarType.Float32);
        var shape = images.shape;
        return new ImageVariant(name, new ImageBatch(images.data<float>(), (int)shape[0], (int)shape[1], (int)shape[2], (int)shape[3]));
    }
}
