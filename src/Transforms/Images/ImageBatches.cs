using MlNetRobust.Data;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Images;

/// <summary>
/// Moves <see cref="RawImage"/>s in and out of uint8 [N, H, W, C] tensors, one memory copy per image, so image
/// transforms work on whole same-shape groups with tensor ops instead of looping over pixels.
/// </summary>
internal static class ImageBatches
{
    /// <summary>The selected images grouped by (height, width, channels), groups in first-seen order.</summary>
    public static IEnumerable<(int Height, int Width, int Channels, int[] Indices)> GroupByShape(RawImage[] images, Func<RawImage, bool> selected) =>
        Enumerable.Range(0, images.Length)
            .Where(i => selected(images[i]))
            .GroupBy(i => (images[i].Height, images[i].Width, images[i].Channels))
            .Select(g => (g.Key.Height, g.Key.Width, g.Key.Channels, g.ToArray()));

    /// <summary>One uint8 [n, H, W, C] tensor holding the given images (which share that shape).</summary>
    public static Tensor Stack(RawImage[] images, int[] indices, int height, int width, int channels)
    {
        var size = height * width * channels;
        var buffer = GC.AllocateUninitializedArray<byte>(indices.Length * size);
        for (var k = 0; k < indices.Length; k++)
        {
            Buffer.BlockCopy(images[indices[k]].Pixels, 0, buffer, k * size, size);
        }
        return torch.frombuffer(buffer, ScalarType.Byte, [indices.Length, height, width, channels]);
    }

    /// <summary>Writes each image of a uint8 [n, H, W, C] batch into <paramref name="output"/> at the given indices, keeping source and mode.</summary>
    public static void Unstack(Tensor batch, RawImage[] originals, int[] indices, RawImage[] output)
    {
        var shape = batch.shape;
        var (height, width, channels) = ((int)shape[1], (int)shape[2], (int)shape[3]);
        var size = height * width * channels;
        var bytes = batch.ToBytes();
        for (var k = 0; k < indices.Length; k++)
        {
            var original = originals[indices[k]];
            output[indices[k]] = new RawImage(width, height, channels, bytes.AsSpan(k * size, size).ToArray(), original.Source)
            {
                OriginalMode = original.OriginalMode,
            };
        }
    }

    /// <summary>"32x32 RGB (from palette PNG)" — size and mode for messages.</summary>
    public static string Describe(RawImage image)
    {
        var channels = image.Channels switch { 1 => "gray", 2 => "gray+alpha", 3 => "RGB", _ => "RGBA" };
        return $"{image.Width}x{image.Height} {channels}{(image.OriginalMode is { } mode ? $" (file: {mode})" : "")}";
    }
}
