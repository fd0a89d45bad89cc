// CIFAR-10-C elastic_transform (after Simard et al. 2003): per row, a random affine warp — three points of a
// centred square moved by U(−c₂, c₂) pixels (cv2.getAffineTransform, warpAffine, bilinear, border
// reflect-101) — then a displacement field: two fields of U(−1, 1) noise smoothed by a Gaussian of σ = c₁
// (scipy, truncate 3, border "reflect" = symmetric), scaled by α = c₀, sampled bilinearly with symmetric
// borders (map_coordinates(order = 1, mode = "reflect")). Both passes are grid_sample calls; the Gaussian is
// a separable conv2d.
// Source: make_cifar_c.py (https://arxiv.org/abs/1903.12261), (α, σ, c₂) / 32 = [(0, 0, 0.08), (0.05, 0.2, 0.07),
//   (0.08, 0.06, 0.06), (0.1, 0.04, 0.05), (0.1, 0.03, 0.03)], times the image size (32 on CIFAR; the
//   reference hard-codes 32, we scale with min(H, W)). OpenCV quantises warp coordinates to 1/32 pixel; we do not.
// Arguments: severity 1–5; per-row points and fields from (seed, row id, salt).
// Shapes: [M, C, H, W] → same.
// Example: ctx.Transforms.Corrupt(Corruption.ElasticTransform, severity: 3)

using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Corruptions;

public static class ElasticTransformCorruption
{
    /// <summary>(α, σ, affine jitter) as fractions of the image size, per severity.</summary>
    public static readonly IReadOnlyList<(double Alpha, double Sigma, double Affine)> Severities =
        [(0, 0, 0.08), (0.05, 0.2, 0.07), (0.08, 0.06, 0.06), (0.1, 0.04, 0.05), (0.1, 0.03, 0.03)];

    public static Tensor Apply(Tensor images, RowRandomness rows, int severity)
    {
        var (alphaFraction, sigmaFraction, affineFraction) = Severity.Pick(Severities, severity, "ElasticTransform");
        var (m, h, w) = (images.size(0), images.size(2), images.size(3));
        var imageSize = Math.Min(h, w);
        var (alpha, sigma, jitter) = (alphaFraction * imageSize, sigmaFraction * imageSize, affineFraction * imageSize);
        using var scope = torch.NewDisposeScope();

        // The reference's three points (x, y): centre ± a third of the size, each moved by U(−jitter, jitter).
        double cx = w / 2, cy = h / 2, s = imageSize / 3;
        var from = new[] { (cx + s, cy + s), (cx + s, cy - s), (cx - s, cy - s) };
        var moves = Enumerable.Range(0, 6).Select(_ => rows.NextUniform(-jitter, jitter)).ToArray();
        var inverse = new double[m * 6];
        for (var r = 0; r < m; r++)
        {
            var to = new[] { (from[0].Item1 + moves[0][r], from[0].Item2 + moves[1][r]), (from[1].Item1 + moves[2][r], from[1].Item2 + moves[3][r]),
                (from[2].Item1 + moves[4][r], from[2].Item2 + moves[5][r]) };
            InverseAffine(from, to).CopyTo(inverse, r * 6);
        }
        // Pass 1: dst(p) = src(M⁻¹ p) in pixel coordinates; align_corners = true makes grid_sample's reflection
        // mirror about the edge pixels' centres, which is reflect-101.
        var coefficients = ImageFilters.Constant(inverse, [m, 6, 1, 1], images);
        var xs = torch.arange(w).to(images.dtype).view(1, 1, w).to(images.device);
        var ys = torch.arange(h).to(images.dtype).view(1, h, 1).to(images.device);
        Tensor Coefficient(int i) => coefficients.select(1, i);
        var sx = Coefficient(0) * xs + Coefficient(1) * ys + Coefficient(2);
        var sy = Coefficient(3) * xs + Coefficient(4) * ys + Coefficient(5);
        var grid = torch.stack([sx * (2.0 / Math.Max(1, w - 1)) - 1.0, sy * (2.0 / Math.Max(1, h - 1)) - 1.0], 3);
        var warped = torch.nn.functional.grid_sample(images, grid, InterpolationMode.Bilinear, GridPadding.Reflection, alignCorners: true);
        if (alpha == 0)
        {
            return warped.MoveToOuterDisposeScope();
        }
        // Pass 2: smoothed random displacements (dx then dy, as drawn by the reference), symmetric borders.
        var noise = ImageFilters.Like(rows.Rand([2, h, w]), images) * 2.0 - 1.0;
        var field = ImageFilters.GaussianBlur(noise, sigma, BorderMode.Symmetric, truncate: 3.0) * alpha;
        var px = field.select(1, 0) + xs;
        var py = field.select(1, 1) + ys;
        // align_corners = false: pixel i's centre is at (2i + 1)/n − 1 and reflection is about the image edge.
        var displaced = torch.stack([(px * 2.0 + 1.0) / w - 1.0, (py * 2.0 + 1.0) / h - 1.0], 3);
        var result = torch.nn.functional.grid_sample(warped, displaced, InterpolationMode.Bilinear, GridPadding.Reflection, alignCorners: false);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The affine map taking the points <paramref name="from"/> to <paramref name="to"/> (cv2.getAffineTransform),
    /// inverted: [a, b, c, d, e, f] with source = (a·x + b·y + c, d·x + e·y + f).
    /// </summary>
    public static double[] InverseAffine((double X, double Y)[] from, (double X, double Y)[] to)
    {
        // Solve [x y 1]·(a b c)ᵀ = x' and likewise for y' by Cramer's rule.
        var (x0, y0, x1, y1, x2, y2) = (from[0].X, from[0].Y, from[1].X, from[1].Y, from[2].X, from[2].Y);
        var det = x0 * (y1 - y2) - y0 * (x1 - x2) + (x1 * y2 - x2 * y1);
        (double, double, double) Solve(double v0, double v1, double v2) =>
        (
            (v0 * (y1 - y2) - y0 * (v1 - v2) + (v1 * y2 - v2 * y1)) / det,
            (x0 * (v1 - v2) - v0 * (x1 - x2) + (x1 * v2 - x2 * v1)) / det,
            (x0 * (y1 * v2 - y2 * v1) - y0 * (x1 * v2 - x2 * v1) + v0 * (x1 * y2 - x2 * y1)) / det
        );
        var (a, b, c) = Solve(to[0].X, to[1].X, to[2].X);
        var (d, e, f) = Solve(to[0].Y, to[1].Y, to[2].Y);
        var inv = a * e - b * d;
        var (ia, ib, id, ie) = (e / inv, -b / inv, -d / inv, a / inv);
        return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
    }
}
