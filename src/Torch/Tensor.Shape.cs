using static MlNetRobust.Torch.Native.NativeMethods;

namespace MlNetRobust.Torch;

// Views, joins, indexing and layout changes.
public sealed unsafe partial class Tensor
{
    public Tensor reshape(params long[] shape)
    {
        fixed (long* p = shape)
        {
            return Wrap(mnr_reshape(Handle, p, shape.Length));
        }
    }

    public Tensor view(params long[] shape)
    {
        fixed (long* p = shape)
        {
            return Wrap(mnr_view(Handle, p, shape.Length));
        }
    }

    public Tensor permute(params long[] dims)
    {
        fixed (long* p = dims)
        {
            return Wrap(mnr_permute(Handle, p, dims.Length));
        }
    }

    public Tensor transpose(long dim0, long dim1) => Wrap(mnr_transpose(Handle, dim0, dim1));

    /// <summary>Transpose of a 2-D tensor.</summary>
    public Tensor t() => transpose(0, 1);

    public Tensor squeeze() => Wrap(mnr_squeeze(Handle, 0, 0));

    public Tensor squeeze(long dim) => Wrap(mnr_squeeze(Handle, 1, dim));

    public Tensor unsqueeze(long dim) => Wrap(mnr_unsqueeze(Handle, dim));

    public Tensor flatten(long startDim = 0, long endDim = -1) => Wrap(mnr_flatten(Handle, startDim, endDim));

    public Tensor expand(params long[] shape)
    {
        fixed (long* p = shape)
        {
            return Wrap(mnr_expand(Handle, p, shape.Length));
        }
    }

    public Tensor expand_as(Tensor other) => expand(other.shape);

    public Tensor repeat(params long[] repeats)
    {
        fixed (long* p = repeats)
        {
            return Wrap(mnr_repeat(Handle, p, repeats.Length));
        }
    }

    public Tensor narrow(long dim, long start, long length) => Wrap(mnr_narrow(Handle, dim, start, length));

    /// <summary>Elements start..end (exclusive) with a step along one dimension, as Python's <c>x[:, a:b:s]</c>.</summary>
    public Tensor slice(long dim, long start, long end, long step = 1) => Wrap(mnr_slice(Handle, dim, start, end, step));

    /// <summary>Removes a dimension by picking one index, as Python's <c>x[:, i]</c>.</summary>
    public Tensor select(long dim, long index) => Wrap(mnr_select(Handle, dim, index));

    /// <summary>x[i]: the i-th entry along the first dimension.</summary>
    public Tensor this[long index] => select(0, index);

    public Tensor index_select(long dim, Tensor index) => Wrap(mnr_index_select(Handle, dim, index.Handle));

    public Tensor gather(long dim, Tensor index) => Wrap(mnr_gather(Handle, dim, index.Handle));

    public Tensor scatter(long dim, Tensor index, Tensor source) => Wrap(mnr_scatter(Handle, dim, index.Handle, source.Handle));

    public Tensor scatter_add(long dim, Tensor index, Tensor source) =>
        Wrap(mnr_scatter_add(Handle, dim, index.Handle, source.Handle));

    public Tensor masked_fill(Tensor mask, Scalar value) => Wrap(mnr_masked_fill(Handle, mask.Handle, value));

    public Tensor masked_fill_(Tensor mask, Scalar value) => Done(mnr_masked_fill_(Handle, mask.Handle, value));

    public Tensor masked_select(Tensor mask) => Wrap(mnr_masked_select(Handle, mask.Handle));

    public Tensor nonzero() => Wrap(mnr_nonzero(Handle));

    /// <summary>Advanced indexing <c>x[i0, i1, …]</c> with index or mask tensors; null stands for <c>:</c>.</summary>
    public Tensor index(params Tensor?[] indices)
    {
        var handles = indices.Select(HandleOrNull).ToArray();
        fixed (nint* p = handles)
        {
            var h = mnr_index(Handle, p, handles.Length);
            GC.KeepAlive(indices);
            return Wrap(h);
        }
    }

    /// <summary><c>x[i0, i1, …] = values</c> (or <c>+=</c> with accumulate), in place.</summary>
    public Tensor index_put_(Tensor?[] indices, Tensor values, bool accumulate = false)
    {
        var handles = indices.Select(HandleOrNull).ToArray();
        fixed (nint* p = handles)
        {
            var status = mnr_index_put_(Handle, p, handles.Length, values.Handle, accumulate ? 1 : 0);
            GC.KeepAlive(indices);
            return Done(status);
        }
    }

    public Tensor flip(params long[] dims)
    {
        fixed (long* p = dims)
        {
            return Wrap(mnr_flip(Handle, p, dims.Length));
        }
    }

    public Tensor roll(long[] shifts, long[] dims)
    {
        if (shifts.Length != dims.Length)
        {
            throw new ArgumentException($"roll needs one shift per dimension, got {shifts.Length} shifts for {dims.Length} dims");
        }
        fixed (long* s = shifts, d = dims)
        {
            return Wrap(mnr_roll(Handle, s, d, dims.Length));
        }
    }

    /// <summary>Rotates by k quarter turns in the plane of dims (d0, d1), counter-clockwise as torch.rot90.</summary>
    public Tensor rot90(long k = 1, long dim0 = -2, long dim1 = -1) => Wrap(mnr_rot90(Handle, k, dim0, dim1));
}
