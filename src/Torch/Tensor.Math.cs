using static MlNetRobust.Torch.Native.NativeMethods;

namespace MlNetRobust.Torch;

// Element-wise arithmetic, comparisons, reductions, sorting and linear algebra.
public sealed unsafe partial class Tensor
{
    private Tensor Done(int status)
    {
        Check(status);
        return this;
    }

    // ---- binary arithmetic (a ∘ b, a ∘ scalar, and in-place) -------------------------------------------
    public Tensor add(Tensor other, Scalar? alpha = null) => Wrap(mnr_add(Handle, other.Handle, alpha ?? 1));
    public Tensor add(Scalar other) => Wrap(mnr_add_scalar(Handle, other));
    public Tensor add_(Tensor other, Scalar? alpha = null) => Done(mnr_add_(Handle, other.Handle, alpha ?? 1));
    public Tensor add_(Scalar other) => Done(mnr_add_scalar_(Handle, other));
    public Tensor sub(Tensor other, Scalar? alpha = null) => Wrap(mnr_sub(Handle, other.Handle, alpha ?? 1));
    public Tensor sub(Scalar other) => Wrap(mnr_sub_scalar(Handle, other));
    public Tensor sub_(Tensor other, Scalar? alpha = null) => Done(mnr_sub_(Handle, other.Handle, alpha ?? 1));
    public Tensor sub_(Scalar other) => Done(mnr_sub_scalar_(Handle, other));
    public Tensor mul(Tensor other) => Wrap(mnr_mul(Handle, other.Handle));
    public Tensor mul(Scalar other) => Wrap(mnr_mul_scalar(Handle, other));
    public Tensor mul_(Tensor other) => Done(mnr_mul_(Handle, other.Handle));
    public Tensor mul_(Scalar other) => Done(mnr_mul_scalar_(Handle, other));
    public Tensor div(Tensor other) => Wrap(mnr_div(Handle, other.Handle));
    public Tensor div(Scalar other) => Wrap(mnr_div_scalar(Handle, other));
    public Tensor div_(Tensor other) => Done(mnr_div_(Handle, other.Handle));
    public Tensor div_(Scalar other) => Done(mnr_div_scalar_(Handle, other));
    public Tensor pow(Tensor exponent) => Wrap(mnr_pow(Handle, exponent.Handle));
    public Tensor pow(Scalar exponent) => Wrap(mnr_pow_scalar(Handle, exponent));
    public Tensor pow_(Scalar exponent) => Done(mnr_pow_scalar_(Handle, exponent));
    public Tensor remainder(Scalar other) => Wrap(mnr_remainder_scalar(Handle, other));
    public Tensor remainder(Tensor other) => Wrap(mnr_remainder(Handle, other.Handle));
    public Tensor maximum(Tensor other) => Wrap(mnr_maximum(Handle, other.Handle));
    public Tensor minimum(Tensor other) => Wrap(mnr_minimum(Handle, other.Handle));
    public Tensor atan2(Tensor other) => Wrap(mnr_atan2(Handle, other.Handle));

    /// <summary>this += value * t1 * t2.</summary>
    public Tensor addcmul_(Tensor t1, Tensor t2, Scalar value) => Done(mnr_addcmul_(Handle, t1.Handle, t2.Handle, value));

    /// <summary>this += value * t1 / t2.</summary>
    public Tensor addcdiv_(Tensor t1, Tensor t2, Scalar value) => Done(mnr_addcdiv_(Handle, t1.Handle, t2.Handle, value));

    /// <summary>this += weight * (end - this).</summary>
    public Tensor lerp_(Tensor end, Scalar weight) => Done(mnr_lerp_(Handle, end.Handle, weight));

    // ---- comparisons (bool results) ------------------------------------------------------------------
    public Tensor eq(Tensor other) => Wrap(mnr_eq(Handle, other.Handle));
    public Tensor eq(Scalar other) => Wrap(mnr_eq_scalar(Handle, other));
    public Tensor ne(Tensor other) => Wrap(mnr_ne(Handle, other.Handle));
    public Tensor ne(Scalar other) => Wrap(mnr_ne_scalar(Handle, other));
    public Tensor lt(Tensor other) => Wrap(mnr_lt(Handle, other.Handle));
    public Tensor lt(Scalar other) => Wrap(mnr_lt_scalar(Handle, other));
    public Tensor le(Tensor other) => Wrap(mnr_le(Handle, other.Handle));
    public Tensor le(Scalar other) => Wrap(mnr_le_scalar(Handle, other));
    public Tensor gt(Tensor other) => Wrap(mnr_gt(Handle, other.Handle));
    public Tensor gt(Scalar other) => Wrap(mnr_gt_scalar(Handle, other));
    public Tensor ge(Tensor other) => Wrap(mnr_ge(Handle, other.Handle));
    public Tensor ge(Scalar other) => Wrap(mnr_ge_scalar(Handle, other));
    public Tensor logical_and(Tensor other) => Wrap(mnr_logical_and(Handle, other.Handle));
    public Tensor logical_or(Tensor other) => Wrap(mnr_logical_or(Handle, other.Handle));
    public Tensor logical_not() => Wrap(mnr_logical_not(Handle));
    public Tensor isnan() => Wrap(mnr_isnan(Handle));
    public Tensor isfinite() => Wrap(mnr_isfinite(Handle));

    // ---- unary -------------------------------------------------------------------------------------
    public Tensor neg() => Wrap(mnr_neg(Handle));
    public Tensor neg_() => Done(mnr_neg_(Handle));
    public Tensor abs() => Wrap(mnr_abs(Handle));
    public Tensor abs_() => Done(mnr_abs_(Handle));
    public Tensor sign() => Wrap(mnr_sign(Handle));
    public Tensor sign_() => Done(mnr_sign_(Handle));
    public Tensor exp() => Wrap(mnr_exp(Handle));
    public Tensor exp_() => Done(mnr_exp_(Handle));
    public Tensor log() => Wrap(mnr_log(Handle));
    public Tensor log_() => Done(mnr_log_(Handle));
    public Tensor log1p() => Wrap(mnr_log1p(Handle));
    public Tensor sqrt() => Wrap(mnr_sqrt(Handle));
    public Tensor sqrt_() => Done(mnr_sqrt_(Handle));
    public Tensor rsqrt() => Wrap(mnr_rsqrt(Handle));
    public Tensor square() => Wrap(mnr_square(Handle));
    public Tensor reciprocal() => Wrap(mnr_reciprocal(Handle));
    public Tensor floor() => Wrap(mnr_floor(Handle));
    public Tensor floor_() => Done(mnr_floor_(Handle));
    public Tensor ceil() => Wrap(mnr_ceil(Handle));
    public Tensor round() => Wrap(mnr_round(Handle));
    public Tensor round_() => Done(mnr_round_(Handle));
    public Tensor trunc() => Wrap(mnr_trunc(Handle));
    public Tensor sin() => Wrap(mnr_sin(Handle));
    public Tensor cos() => Wrap(mnr_cos(Handle));
    public Tensor acos() => Wrap(mnr_acos(Handle));
    public Tensor atan() => Wrap(mnr_atan(Handle));
    public Tensor tanh() => Wrap(mnr_tanh(Handle));
    public Tensor sigmoid() => Wrap(mnr_sigmoid(Handle));
    public Tensor relu() => Wrap(mnr_relu(Handle));
    public Tensor relu_() => Done(mnr_relu_(Handle));

    public Tensor clamp(Scalar? min = null, Scalar? max = null) =>
        Wrap(mnr_clamp(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0));

    public Tensor clamp_(Scalar? min = null, Scalar? max = null) =>
        Done(mnr_clamp_(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0));

    /// <summary>Element-wise bounds (either may be null); PGD uses it to project onto the eps-ball.</summary>
    public Tensor clamp(Tensor? min, Tensor? max)
    {
        var h = mnr_clamp_tensor(Handle, HandleOrNull(min), HandleOrNull(max));
        GC.KeepAlive(min);
        GC.KeepAlive(max);
        return Wrap(h);
    }

    public Tensor clamp_min(Scalar min) => clamp(min, null);

    public Tensor clamp_max(Scalar max) => clamp(null, max);

    public Tensor fill_(Scalar value) => Done(mnr_fill_(Handle, value));

    public Tensor zero_() => Done(mnr_zero_(Handle));

    // ---- reductions ----------------------------------------------------------------------------------
    public Tensor sum() => Wrap(mnr_sum(Handle, null, 0, 0));
    public Tensor sum(long dim, bool keepdim = false) => sum([dim], keepdim);
    public Tensor sum(long[] dims, bool keepdim = false)
    {
        fixed (long* d = dims)
        {
            return Wrap(mnr_sum(Handle, d, dims.Length, keepdim ? 1 : 0));
        }
    }

    public Tensor mean() => Wrap(mnr_mean(Handle, null, 0, 0));
    public Tensor mean(long dim, bool keepdim = false) => mean([dim], keepdim);
    public Tensor mean(long[] dims, bool keepdim = false)
    {
        fixed (long* d = dims)
        {
            return Wrap(mnr_mean(Handle, d, dims.Length, keepdim ? 1 : 0));
        }
    }

    public Tensor prod() => Wrap(mnr_prod(Handle));

    public Tensor var(bool unbiased = true) => Wrap(mnr_var(Handle, null, 0, unbiased ? 1 : 0, 0));
    public Tensor var(long dim, bool unbiased = true, bool keepdim = false) => var([dim], unbiased, keepdim);
    public Tensor var(long[] dims, bool unbiased = true, bool keepdim = false)
    {
        fixed (long* d = dims)
        {
            return Wrap(mnr_var(Handle, d, dims.Length, unbiased ? 1 : 0, keepdim ? 1 : 0));
        }
    }

    public Tensor std(bool unbiased = true) => Wrap(mnr_std(Handle, null, 0, unbiased ? 1 : 0, 0));
    public Tensor std(long dim, bool unbiased = true, bool keepdim = false) => std([dim], unbiased, keepdim);
    public Tensor std(long[] dims, bool unbiased = true, bool keepdim = false)
    {
        fixed (long* d = dims)
        {
            return Wrap(mnr_std(Handle, d, dims.Length, unbiased ? 1 : 0, keepdim ? 1 : 0));
        }
    }

    public Tensor norm(double p = 2) => Wrap(mnr_norm(Handle, p, null, 0, 0));
    public Tensor norm(double p, long dim, bool keepdim = false)
    {
        return Wrap(mnr_norm(Handle, p, &dim, 1, keepdim ? 1 : 0));
    }

    public Tensor logsumexp(long dim, bool keepdim = false) => Wrap(mnr_logsumexp(Handle, &dim, 1, keepdim ? 1 : 0));

    public Tensor max() => Wrap(mnr_max_all(Handle));
    public Tensor min() => Wrap(mnr_min_all(Handle));

    public (Tensor values, Tensor indices) max(long dim, bool keepdim = false)
    {
        nint v, i;
        Check(mnr_max_dim(Handle, dim, keepdim ? 1 : 0, &v, &i));
        return (new Tensor(v), new Tensor(i));
    }

    public (Tensor values, Tensor indices) min(long dim, bool keepdim = false)
    {
        nint v, i;
        Check(mnr_min_dim(Handle, dim, keepdim ? 1 : 0, &v, &i));
        return (new Tensor(v), new Tensor(i));
    }

    public Tensor argmax() => Wrap(mnr_argmax(Handle, 0, 0, 0));
    public Tensor argmax(long dim, bool keepdim = false) => Wrap(mnr_argmax(Handle, 1, dim, keepdim ? 1 : 0));
    public Tensor argmin() => Wrap(mnr_argmin(Handle, 0, 0, 0));
    public Tensor argmin(long dim, bool keepdim = false) => Wrap(mnr_argmin(Handle, 1, dim, keepdim ? 1 : 0));
    public Tensor any() => Wrap(mnr_any(Handle));
    public Tensor all() => Wrap(mnr_all(Handle));
    public Tensor cumsum(long dim) => Wrap(mnr_cumsum(Handle, dim));

    /// <summary>Counts of each non-negative integer value (optionally weighted).</summary>
    public Tensor bincount(Tensor? weights = null, long minlength = 0)
    {
        var h = mnr_bincount(Handle, HandleOrNull(weights), minlength);
        GC.KeepAlive(weights);
        return Wrap(h);
    }

    // ---- sorting and selection -----------------------------------------------------------------------
    public (Tensor values, Tensor indices) topk(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        nint v, i;
        Check(mnr_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, &v, &i));
        return (new Tensor(v), new Tensor(i));
    }

    public (Tensor values, Tensor indices) sort(long dim = -1, bool descending = false, bool stable = false)
    {
        nint v, i;
        Check(mnr_sort(Handle, dim, descending ? 1 : 0, stable ? 1 : 0, &v, &i));
        return (new Tensor(v), new Tensor(i));
    }

    public Tensor argsort(long dim = -1, bool descending = false) => Wrap(mnr_argsort(Handle, dim, descending ? 1 : 0));

    // ---- linear algebra ------------------------------------------------------------------------------
    public Tensor matmul(Tensor other) => Wrap(mnr_matmul(Handle, other.Handle));
    public Tensor mm(Tensor other) => Wrap(mnr_mm(Handle, other.Handle));
    public Tensor bmm(Tensor other) => Wrap(mnr_bmm(Handle, other.Handle));

    // ---- operators ---------------------------------------------------------------------------------
    public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
    public static Tensor operator +(Tensor a, Scalar b) => a.add(b);
    public static Tensor operator +(Scalar a, Tensor b) => b.add(a);
    public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
    public static Tensor operator -(Tensor a, Scalar b) => a.sub(b);
    public static Tensor operator -(Scalar a, Tensor b) => Wrap(mnr_rsub_scalar(b.Handle, a));
    public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
    public static Tensor operator *(Tensor a, Scalar b) => a.mul(b);
    public static Tensor operator *(Scalar a, Tensor b) => b.mul(a);
    public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
    public static Tensor operator /(Tensor a, Scalar b) => a.div(b);
    public static Tensor operator /(Scalar a, Tensor b)
    {
        using var r = b.reciprocal();
        return r.mul(a);
    }
    public static Tensor operator -(Tensor a) => a.neg();
}
