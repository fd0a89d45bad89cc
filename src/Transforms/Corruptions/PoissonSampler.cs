// Exact Poisson sampling of a batch of rates with tensor ops (libtorch's poisson is not in our binding).
// Source: numpy's legacy sampler — inversion for small λ, and for λ ≥ 10 Hörmann's transformed rejection with
//   squeeze, PTRS (W. Hörmann, "The transformed rejection method for generating Poisson random variables",
//   Insurance: Mathematics and Economics 12, 1993), with numpy's constants.
// Arguments: rates λ ≥ 0 [M, ...]; rows: per-row randomness (row m's uniforms come from row m's generators).
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

    // PTRS accepts ~90% per round, so 64 rounds leave nothing in practice; any leftovers get a normal approximation.
    private const int MaxRounds = 64;

    // log k! for k = 0..9; Stirling's series from 10 on (error < 1e-11 there).
    private static readonly double[] s_logFactorial = Enumerable.Range(0, 10)
        .Select(k => Enumerable.Range(1, k).Sum(i => Math.Log(i))).ToArray();

    /// <summary>One Poisson(λ) draw per element; every element's draws come from its row's streams.</summary>
    public static Tensor Sample(Tensor rates, RowRandomness rows)
    {
        using var scope = torch.NewDisposeScope();
        var lambda = rates.to(ScalarType.Float64).clamp_min(0);
        var itemShape = lambda.shape[1..];
        var counts = torch.zeros_like(lambda);
        var small = lambda.lt(RejectionThreshold);
        var large = small.logical_not();

        // The inversion uniforms are drawn even when no rate is small, so later draws never shift.
        var u = rows.Rand(itemShape, ScalarType.Float64).to(lambda.device);
        if (small.any().item<bool>())
        {
            counts.index_put_([small], Invert(lambda.masked_select(small), u.masked_select(small)));
        }
        if (large.any().item<bool>())
        {
            counts.index_put_([large], Ptrs(lambda, large, rows));
        }
        return counts.to(rates.dtype).MoveToOuterDisposeScope();
    }

    // Inverse CDF: the count is the number of k with CDF(k) < u.
    private static Tensor Invert(Tensor lambda, Tensor u)
    {
        using var scope = torch.NewDisposeScope();
        var pmf = lambda.neg().exp();
        var cdf = pmf.clone();
        var count = u.gt(cdf).to(ScalarType.Float64);
        for (var k = 1; k <= InversionSteps; k++)
        {
            pmf.mul_(lambda).div_(k);
            cdf.add_(pmf);
            using var above = u.gt(cdf);
            count.add_(above);
        }
        return count.MoveToOuterDisposeScope();
    }

    // PTRS on the elements where `mask` holds (λ ≥ 10), returned in masked_select order. Each round draws two
    // uniforms per element from the rows that still have elements pending (a row's draws never depend on others).
    private static Tensor Ptrs(Tensor lambdaAll, Tensor mask, RowRandomness rows)
    {
        using var scope = torch.NewDisposeScope();
        var lambda = lambdaAll.masked_select(mask);
        var total = lambda.numel();
        var result = torch.zeros([total], ScalarType.Float64, lambda.device);
        var pending = torch.arange(total).to(lambda.device);
        // Which row each selected element belongs to, to draw only for rows with pending elements.
        var rowOfElement = torch.arange(rows.Count).to(lambda.device).view([rows.Count, .. Enumerable.Repeat(1L, mask.ndim - 1)])
            .expand(mask.shape).masked_select(mask);
        var itemShape = mask.shape[1..];
        for (var round = 0; round < MaxRounds && pending.numel() > 0; round++)
        {
            using var roundScope = torch.NewDisposeScope();
            var pendingRows = RowsWithPending(rowOfElement.index_select(0, pending), rows.Count);
            var uniform = Uniforms(rows, pendingRows, itemShape, mask, pending);
            var v = Uniforms(rows, pendingRows, itemShape, mask, pending);
            var lam = lambda.index_select(0, pending);
            var (k, accept) = PtrsRound(lam, uniform, v);
            var accepted = pending.masked_select(accept);
            result.index_put_([accepted], k.masked_select(accept));
            pending = pending.masked_select(accept.logical_not()).MoveToOuterDisposeScope();
        }
        if (pending.numel() > 0)
        {
            // Never seen in practice; keep the result defined rather than loop forever.
            var lam = lambda.index_select(0, pending);
            var z = Uniforms(rows, Enumerable.Range(0, rows.Count).ToArray(), itemShape, mask, pending);
            result.index_put_([pending], (lam + lam.sqrt() * (z - 0.5) * 3.4641016151377544).round().clamp_min(0));
        }
        return result.MoveToOuterDisposeScope();
    }

    private static int[] RowsWithPending(Tensor rowOfPending, int rowCount)
    {
        using var perRow = rowOfPending.bincount(null, rowCount);
        using var cpu = perRow.cpu();
        var counts = cpu.data<long>();
        return Enumerable.Range(0, rowCount).Where(r => counts[r] > 0).ToArray();
    }

    // Uniform draws for the pending elements: drawn per row (only rows with pending elements), laid into the
    // full batch shape, then picked out in the same order as the pending elements.
    private static Tensor Uniforms(RowRandomness rows, int[] pendingRows, long[] itemShape, Tensor mask, Tensor pending)
    {
        using var scope = torch.NewDisposeScope();
        var drawn = rows.Rand(itemShape, ScalarType.Float64, pendingRows).to(mask.device);
        var full = torch.zeros(mask.shape, ScalarType.Float64, mask.device);
        full.index_put_([torch.tensor(pendingRows.Select(r => (long)r).ToArray()).to(mask.device)], drawn);
        return full.masked_select(mask).index_select(0, pending).MoveToOuterDisposeScope();
    }

    // One PTRS round (numpy's random_poisson_ptrs) for every element: the candidate k and whether it is accepted.
    private static (Tensor K, Tensor Accept) PtrsRound(Tensor lam, Tensor uniform, Tensor v)
    {
        var slam = lam.sqrt();
        var loglam = lam.log();
        var b = slam * 2.53 + 0.931;
        var a = b * 0.02483 - 0.059;
        var invalpha = (b - 3.4).reciprocal() * 1.1328 + 1.1239;
        var vr = 0.9277 - (b - 2).reciprocal() * 3.6224;
        var u = uniform - 0.5;
        var us = 0.5 - u.abs();
        var k = ((a * 2 / us + b) * u + lam + 0.43).floor();
        var quick = us.ge(0.07).logical_and(v.le(vr));
        var rejected = k.lt(0).logical_or(us.lt(0.013).logical_and(v.gt(us)));
        var lhs = v.log() + invalpha.log() - (a / us.square() + b).log();
        var rhs = lam.neg() + k * loglam - LogFactorial(k.clamp_min(0));
        var accept = quick.logical_or(rejected.logical_not().logical_and(lhs.le(rhs)));
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
