// CIFAR-10-C fog: x + a·F, rescaled by max(x) / (max(x) + a) and clipped, where F is a plasma fractal in [0, 1]
// made per row by the diamond-square algorithm (the reference's plasma_fractal: corner/edge means plus
// uniform jitter whose amplitude is divided by `decay` at each halving, then normalised to [0, 1]).
// Source: make_cifar_c.py (https://arxiv.org/abs/1903.12261), (a, decay) = [(0.2, 3), (0.5, 3), (0.75, 2.5),
//   (1, 2), (1.5, 1.75)], map size 32 (for other images: the next power of two ≥ max(H, W), cropped).
// Arguments: severity 1–5; each row's fractal from its own generator (seed, row id, salt); the batch's
//   fractals are built together, one tensor op per diamond-square step.
// Shapes: [M, C, H, W] → same; the fractal [M, S, S] is shared by the channels.
// Example: ctx.Transforms.Corrupt(Corruption.Fog, severity: 3)

using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Corruptions;

public static class FogCorruption
{
    /// <summary>(fog strength a, wibble decay) per severity.</summary>
    public static readonly IReadOnlyList<(double Strength, double Decay)> Severities = [(0.2, 3), (0.5, 3), (0.75, 2.5), (1, 2), (1.5, 1.75)];

    public static Tensor Apply(Tensor images, RowRandomness rows, int severity)
    {
        var (strength, decay) = Severity.Pick(Severities, severity, "Fog");
        var (m, h, w) = (images.size(0), images.size(2), images.size(3));
        using var scope = torch.NewDisposeScope();
        var size = 2;
        while (size < Math.Max(h, w))
        {
            size *= 2;
        }
        var fog = ImageFilters.Like(PlasmaFractal(rows, size, decay).narrow(1, 0, h).narrow(2, 0, w).unsqueeze(1), images);
        var max = images.flatten(1).max(1).values.view(m, 1, 1, 1);
        var result = (images + fog * strength) * max / (max + strength);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>One diamond-square heightmap per row, [M, size, size] (size a power of two) in [0, 1], float64.</summary>
    public static Tensor PlasmaFractal(RowRandomness rows, int size, double decay)
    {
        if (size < 2 || (size & (size - 1)) != 0)
        {
            throw new ArgumentException($"plasma fractal size must be a power of two >= 2, got {size}", nameof(size));
        }
        using var scope = torch.NewDisposeScope();
        var m = rows.Count;
        long draws = 0;
        for (var step = size; step >= 2; step /= 2)
        {
            draws += 3L * (size / step) * (size / step);
        }
        // All of a row's jitter in one draw: uniform in [−1, 1), consumed level by level.
        var jitter = rows.Rand([draws], ScalarType.Float64) * 2.0 - 1.0;
        var map = torch.zeros([m, size, size], ScalarType.Float64);
        long offset = 0;
        var wibble = 100.0;
        for (var step = size; step >= 2; step /= 2)
        {
            var half = step / 2;
            var n = size / step;
            Tensor Next()
            {
                // The reference's wibbledmean: mean + wibble · U(−wibble, wibble).
                var j = jitter.narrow(1, offset, n * n).view(m, n, n) * (wibble * wibble);
                offset += n * n;
                return j;
            }
            Tensor Grid(long y0, long x0) => map.slice(1, y0, size, step).slice(2, x0, size, step);

            // Squares: each centre from its four corners.
            var corners = Grid(0, 0);
            var squares = corners + corners.roll([-1], [1]);
            squares = squares + squares.roll([-1], [2]);
            Grid(half, half).copy_(squares / 4.0 + Next());
            // Diamonds: each edge midpoint from its two centres and two corners.
            var centres = Grid(half, half);
            var left = centres + centres.roll([1], [1]) + corners + corners.roll([-1], [2]);
            Grid(0, half).copy_(left / 4.0 + Next());
            var top = centres + centres.roll([1], [2]) + corners + corners.roll([-1], [1]);
            Grid(half, 0).copy_(top / 4.0 + Next());
            wibble /= decay;
        }
        var flat = map.view(m, size * size);
        var min = flat.min(1, keepdim: true).values;
        var shifted = flat - min;
        var normalised = shifted / shifted.max(1, keepdim: true).values;
        return normalised.view(m, size, size).MoveToOuterDisposeScope();
    }
}
