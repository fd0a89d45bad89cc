// Exact Poisson sampling of a batch of rates with tensor ops (libtorch's poisson is not in our binding).
// Source: numpy's legacy sampler — inversion for small λ, and for λ ≥ 10 Hörmann's transformed rejection with
//   squeeze, PTRS (W. Hörmann, "The transformed rejection method for generating Poisson random variables",
//   Insurance: Mathematics and Economics 12, 1993), with numpy's constants.
// Arguments: rates λ ≥ 0 [M, ...]; rows: per-row randomness (row m's uniforms come from row m's generators,
//   one ragged draw per rejection round holding just what that row still needs).
// Shapes: [M, ...] → counts of the same shape and dtype (float).
// Example: var counts = PoissonSampler.Sample(images * 100, rows);

using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;

namespace MlNetRobust.Transforms.Corruptions;

public static class PoissonSampler
{
    /// <summary>Below this rate, inversion; from it on, PTRS (numpy uses the same split).</summary>
    public const double RejectionThreshold = 10;

    // Inversion walks the CDF up to this count: P(X > 40 | λ < 10) < 1e-11.
    private const int InversionSteps = 40;

    // PTRS accepts ~90% per round, so 64 rounds leave nothing in practice; any leftovers get λ rounded.
    private const int MaxRounds = 64;

    // log k! for k = 0..9; Stirling's series from 10 on (error < 1e-11 there).
    private static readonly double[] s_logFactorial = Enumerable.Range(0, 10)
        .Select(k => Enumerable.Range(1, k).Sum(i => Math.Log(i))).ToArray();

    /// <summary>One Poisson(λ) draw per element; every element's draws come from its row's streams.</summary>
    public static Tensor Sample(Tensor rates, RowRandomness rows)
    {
        using var scope = torch.NewDisposeScope();
        var lambda = rates.to(ScalarType.Float64).clamp_min(0).flatten();
        var perRow = rates.numel() / Math.Max(1, rows.Count);
        var small = lambda.lt(RejectionThreshold);
        var smallIndex = small.nonzero().flatten();
        var largeIndex = small.logical_not().nonzero().flatten();
        var counts = torch.zeros_like(lambda);

        // Inversion: one uniform per small-rate element, drawn by its row (drawn even when there are none, so
        // that later draws never shift).
        var u = rows.RandRagged(CountPerRow(smallIndex, perRow, rows.Count)).to(lambda.device);
        if (smallIndex.numel() > 0)
        {
            counts.index_put_([smallIndex], Invert(lambda.index_select(0, smallIndex), u));
        }
        if (largeIndex.numel() > 0)
        {
            counts.index_put_([largeIndex], Ptrs(lambda.index_select(0, largeIndex), RowOf(largeIndex, perRow), rows));
        }
        return counts.view(rates.shape).to(rates.dtype).MoveToOuterDisposeScope();
    }

    // The row of each flat element index (elements are row-major, perRow per row).
    private static Tensor RowOf(Tensor flatIndex, long perRow)
    {
        using var scope = torch.NewDisposeScope();
        return flatIndex.to(ScalarType.Float64).div(perRow).floor().to(ScalarType.Int64).MoveToOuterDisposeScope();
    }

    private static long[] CountPerRow(Tensor flatIndex, long perRow, int rowCount)
    {
        using var scope = torch.NewDisposeScope();
        return flatIndex.numel() == 0 ? new long[rowCount] : RowOf(flatIndex, perRow).bincount(null, rowCount).cpu().data<long>();
    }

    // Inverse CDF: X = min{k : u ≤ CDF(k)}. Resolved elements are dropped every few steps, so the work follows
    // the counts actually drawn rather than the worst case.
    private static Tensor Invert(Tensor lambda, Tensor u)
    {
        using var scope = torch.NewDisposeScope();
        var result = torch.zeros_like(lambda);
        var pending = torch.arange(lambda.numel()).to(lambda.device);
        var pmf = lambda.neg().exp();
        var cdf = pmf.clone();
        var count = torch.zeros_like(lambda);
        for (var k = 1; k <= InversionSteps && pending.numel() > 0; k++)
        {
            using (var above = u.gt(cdf))
            {
                count.add_(above);
            }
            pmf.mul_(lambda).div_(k);
            cdf.add_(pmf);
            if (k % 4 == 0 || k == InversionSteps)
            {
                // Done: u ≤ CDF(k); their count (the number of CDF(j) < u for j < k) is final once the CDF(k) test is in.
                var open = u.gt(cdf);
                var finalCount = count + open.to(ScalarType.Float64);
                var done = open.logical_not();
                result.index_put_([pending.masked_select(done)], finalCount.masked_select(done));
                var keep = open.nonzero().flatten();
                (pending, lambda, u, pmf, cdf, count) = (pending.index_select(0, keep), lambda.index_select(0, keep), u.index_select(0, keep),
                    pmf.index_select(0, keep), cdf.index_select(0, keep), count.index_select(0, keep));
            }
        }
        if (pending.numel() > 0)
        {
            // P(X > 40 | λ < 10) < 1e-11: a capped count is as good as exact.
            result.index_put_([pending], count + u.gt(cdf).to(ScalarType.Float64));
        }
        return result.MoveToOuterDisposeScope();
    }

    // PTRS on rates λ ≥ 10 (row of each in `rowOf`, non-decreasing). Each round draws two uniforms per pending
    // element from its row's generator — only as many as that row still needs.
    private static Tensor Ptrs(Tensor lambda, Tensor rowOf, RowRandomness rows)
    {
        using var scope = torch.NewDisposeScope();
        var result = torch.zeros_like(lambda);
        var pending = torch.arange(lambda.numel()).to(lambda.device);
        for (var round = 0; round < MaxRounds && pending.numel() > 0; round++)
        {
            using var roundScope = torch.NewDisposeScope();
            var perRow = rowOf.index_select(0, pending).bincount(null, rows.Count).cpu().data<long>();
            var uniform = rows.RandRagged(perRow).to(lambda.device);
            var v = rows.RandRagged(perRow).to(lambda.device);
            var (k, accept) = PtrsRound(lambda.index_select(0, pending), uniform, v);
            result.index_put_([pending.masked_select(accept)], k.masked_select(accept));
            pending = pending.masked_select(accept.logical_not()).MoveToOuterDisposeScope();
        }
        if (pending.numel() > 0)
        {
            // Never seen in practice; keep the result defined rather than loop forever.
            var lam = lambda.index_select(0, pending);
            result.index_put_([pending], lam.round());
        }
        return result.MoveToOuterDisposeScope();
    }

    // One PTRS round (numpy's random_poisson_ptrs) for every element: the candidate k and whether it is accepted.
    // Most candidates pass the cheap squeeze; the log-density test runs only on the rest.
    private static (Tensor K, Tensor Accept) PtrsRound(Tensor lam, Tensor uniform, Tensor v)
    {
        var slam = lam.sqrt();
        var b = slam * 2.53 + 0.931;
        var a = b * 0.02483 - 0.059;
        var vr = 0.9277 - (b - 2).reciprocal() * 3.6224;
        var u = uniform - 0.5;
        var us = 0.5 - u.abs();
        var k = ((a * 2 / us + b) * u + lam + 0.43).floor();
        var accept = us.ge(0.07).logical_and(v.le(vr));
        var slow = accept.logical_not().nonzero().flatten();
        if (slow.numel() == 0)
        {
            return (k, accept);
        }
        var (sl, sa, sb, sus, sv, sk) = (lam.index_select(0, slow), a.index_select(0, slow), b.index_select(0, slow),
            us.index_select(0, slow), v.index_select(0, slow), k.index_select(0, slow));
        var invalpha = (sb - 3.4).reciprocal() * 1.1328 + 1.1239;
        var rejected = sk.lt(0).logical_or(sus.lt(0.013).logical_and(sv.gt(sus)));
        var lhs = sv.log() + invalpha.log() - (sa / sus.square() + sb).log();
        var rhs = sl.neg() + sk * sl.log() - LogFactorial(sk.clamp_min(0));
        accept.index_put_([slow], rejected.logical_not().logical_and(lhs.le(rhs)));
        return (k, accept);
    }

    /// <summary>log k! for non-negative integer-valued k (a table to 9, Stirling's series beyond).</summary>
    public static Tensor LogFactorial(Tensor k)
    {
        using var scope = torch.NewDisposeScope();
        var table = torch.tensor(s_logFactorial).to(k.dtype).to(k.device);
        var fromTable = table.index_select(0, k.clamp(0, 9).to(ScalarType.Int64).flatten()).view(k.shape);
        var z = k.clamp_min(9) + 1;
        var stirling = (z - 0.5) * z.log() - z + 0.5 * Math.Log(2 * Math.PI)
            + z.reciprocal() / 12 - z.pow(-3) / 360 + z.pow(-5) / 1260;
        return torch.where(k.le(9), fromTable, stirling).MoveToOuterDisposeScope();
    }
}
