using MlNetRobust.Torch;

namespace MlNetRobust.Trainers.Training;

/// <summary>
/// The standard CIFAR training augmentation (He et al. 2016): zero-pad 4 pixels, crop back to the original
/// size at a random offset, flip horizontally with probability 0.5. Offsets and flips come from
/// (seed, row id, salt = epoch), so an epoch is reproducible and each epoch draws anew.
/// </summary>
public static class StandardAugmentation
{
    public const int Padding = 4;

    /// <summary>images [N, C, H, W] → augmented copy, same shape.</summary>
    public static Tensor CropAndFlip(Tensor images, long[] rowIds, ulong seed, ulong salt)
    {
        var (h, w) = (images.size(2), images.size(3));
        using var scope = torch.NewDisposeScope();
        var padded = torch.nn.functional.pad(images, [Padding, Padding, Padding, Padding]);
        var rows = new List<Tensor>(rowIds.Length);
        for (var i = 0; i < rowIds.Length; i++)
        {
            var r = SeedMixer.Mix(seed, rowIds[i], salt);
            var dy = (long)(r % (2 * Padding + 1));
            var dx = (long)(r / 16 % (2 * Padding + 1));
            var flip = (r >> 40 & 1) == 1;
            var crop = padded[i].narrow(1, dy, h).narrow(2, dx, w);
            rows.Add(flip ? crop.flip(2) : crop);
        }
        return torch.stack(rows).MoveToOuterDisposeScope();
    }
}
