using MlNetRobust.Torch.Native;
using static MlNetRobust.Torch.Native.NativeMethods;

namespace MlNetRobust.Torch;

/// <summary>
/// A multi-dimensional array on a device, with autograd. Owns one native libtorch tensor handle; dispose it
/// (or let the enclosing <see cref="DisposeScope"/> do it) to release native memory deterministically.
/// Method names follow PyTorch and TorchSharp (<c>x.sum(1)</c>, <c>x.add_(y)</c>) so code ports line by line.
/// This file holds lifetime, properties and data access; ops live in the Tensor.*.cs partials.
/// </summary>
public sealed unsafe partial class Tensor : IDisposable
{
    internal Tensor(nint handle)
    {
        Handle = new TensorHandle(handle);
        var scope = DisposeScope.Current;
        if (scope is not null)
        {
            OwningScope = scope;
            scope.Register(this);
        }
    }

    internal TensorHandle Handle { get; }

    internal DisposeScope? OwningScope { get; set; }

    /// <summary>Wraps a handle returned by a tensor-producing native call, throwing its error if it is NULL.</summary>
    internal static Tensor Wrap(nint handle) => new(Check(handle));

    public bool IsDisposed => Handle.IsClosed;

    public void Dispose()
    {
        if (Handle.IsClosed)
        {
            return;
        }
        OwningScope?.Remove(this);
        OwningScope = null;
        Handle.Dispose();
    }

    /// <summary>Moves this tensor to the scope outside the current one (or out of all scopes).</summary>
    public Tensor MoveToOuterDisposeScope()
    {
        var scope = OwningScope;
        if (scope is null)
        {
            return this;
        }
        scope.Remove(this);
        OwningScope = null;
        if (scope.Outer is not null)
        {
            scope.Outer.Include(this);
        }
        return this;
    }

    /// <summary>Takes this tensor out of every scope: the caller now disposes it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        OwningScope?.Remove(this);
        OwningScope = null;
        return this;
    }

    // ---- properties -----------------------------------------------------------------------------------

    public long dim() => mnr_ndim(Handle);

    public int ndim => mnr_ndim(Handle);

    public long[] shape
    {
        get
        {
            var result = new long[mnr_ndim(Handle)];
            fixed (long* p = result)
            {
                Check(mnr_shape(Handle, p));
            }
            return result;
        }
    }

    /// <summary>Size of one dimension (negative counts from the end).</summary>
    public long size(int dim)
    {
        var s = shape;
        return s[dim < 0 ? dim + s.Length : dim];
    }

    public long[] stride()
    {
        var result = new long[mnr_ndim(Handle)];
        fixed (long* p = result)
        {
            Check(mnr_strides(Handle, p));
        }
        return result;
    }

    public long numel() => mnr_numel(Handle);

    public ScalarType dtype => (ScalarType)mnr_dtype(Handle);

    public Device device => new((DeviceType)mnr_device_type(Handle), mnr_device_index(Handle));

    public bool is_contiguous() => mnr_is_contiguous(Handle) != 0;

    public override string ToString() => IsDisposed ? "Tensor(disposed)" : CheckString(mnr_to_string(Handle));

    /// <summary>Shape and type in one line, for error messages: <c>float32[128, 3, 32, 32]</c>.</summary>
    public string Describe() => $"{dtype.ToString().ToLowerInvariant()}[{string.Join(", ", shape)}]";

    // ---- data access ----------------------------------------------------------------------------------

    /// <summary>Copies all elements (row-major) into a new array. T must match <see cref="dtype"/>.</summary>
    public T[] data<T>() where T : unmanaged
    {
        var result = new T[numel()];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>Copies all elements (row-major) into <paramref name="destination"/>, which must be exactly numel long.</summary>
    public void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        ScalarTypes.Require<T>(dtype, "copy");
        if (destination.Length != numel())
        {
            throw new ArgumentException($"destination holds {destination.Length} elements but the tensor {Describe()} has {numel()}", nameof(destination));
        }
        fixed (T* p = destination)
        {
            Check(mnr_copy_to(Handle, p, (long)destination.Length * sizeof(T)));
        }
    }

    /// <summary>All elements as little-endian bytes in row-major order, whatever the element type.</summary>
    public byte[] ToBytes()
    {
        var result = new byte[numel() * dtype.ElementSize()];
        fixed (byte* p = result)
        {
            Check(mnr_copy_to(Handle, p, result.LongLength));
        }
        return result;
    }

    /// <summary>
    /// A span over a contiguous CPU tensor's own memory (no copy): writes change the tensor. Valid only while
    /// the tensor is alive and not resized.
    /// </summary>
    public Span<T> GetSpan<T>() where T : unmanaged
    {
        ScalarTypes.Require<T>(dtype, "span");
        void* p;
        Check(mnr_data_ptr(Handle, &p));
        return new Span<T>(p, checked((int)numel()));
    }

    /// <summary>The value of a one-element tensor.</summary>
    public T item<T>() where T : unmanaged
    {
        var s = itemScalar();
        object boxed = typeof(T) switch
        {
            var t when t == typeof(float) => (float)s.ToDouble(),
            var t when t == typeof(double) => s.ToDouble(),
            var t when t == typeof(long) => s.ToInt64(),
            var t when t == typeof(int) => (int)s.ToInt64(),
            var t when t == typeof(byte) => (byte)s.ToInt64(),
            var t when t == typeof(bool) => s.ToInt64() != 0,
            _ => throw new NotSupportedException($"item<{typeof(T).Name}> is not supported"),
        };
        return (T)boxed;
    }

    private Scalar itemScalar()
    {
        Scalar s;
        Check(mnr_item(Handle, &s));
        return s;
    }

    // ---- conversion -----------------------------------------------------------------------------------

    public Tensor to(ScalarType type) => Wrap(mnr_to_dtype(Handle, (int)type));

    public Tensor to(Device target) => Wrap(mnr_to_device(Handle, (int)target.Type, target.Index));

    public Tensor to(ScalarType type, Device target)
    {
        using var moved = to(target);
        return moved.to(type);
    }

    public Tensor cpu() => to(Device.CPU);

    public Tensor cuda(int index = 0) => to(Device.CUDA(index));

    public Tensor @float() => to(ScalarType.Float32);

    public Tensor @double() => to(ScalarType.Float64);

    public Tensor @long() => to(ScalarType.Int64);

    public Tensor @bool() => to(ScalarType.Bool);

    public Tensor @byte() => to(ScalarType.Byte);

    public Tensor clone() => Wrap(mnr_clone(Handle));

    public Tensor contiguous() => Wrap(mnr_contiguous(Handle));

    /// <summary>This tensor with <paramref name="format"/>'s strides (itself, as a new handle, when it has them already).</summary>
    public Tensor contiguous(MemoryFormat format) => Wrap(mnr_contiguous_format(Handle, (int)format));

    public bool is_contiguous(MemoryFormat format) => CheckBool(mnr_is_contiguous_format(Handle, (int)format));

    /// <summary>Another handle to this very tensor (same storage, same autograd node); dispose it separately.</summary>
    public Tensor alias() => Wrap(mnr_tensor_alias(Handle));

    public Tensor copy_(Tensor source)
    {
        Check(mnr_copy_(Handle, source.Handle));
        return this;
    }

    /// <summary>Same shape and exactly the same elements.</summary>
    public bool equal(Tensor other) => CheckBool(mnr_equal(Handle, other.Handle));

    public bool allclose(Tensor other, double rtol = 1e-5, double atol = 1e-8) =>
        CheckBool(mnr_allclose(Handle, other.Handle, rtol, atol));

    private static bool CheckBool(int result) => result switch
    {
        0 => false,
        1 => true,
        _ => throw TorchException.FromNative(),
    };

    // ---- helpers for the partials -------------------------------------------------------------------

    /// <summary>Packs handles for list-taking native calls; the caller keeps the tensors alive.</summary>
    internal static nint[] Handles(IReadOnlyList<Tensor> tensors)
    {
        var result = new nint[tensors.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = tensors[i].Handle.DangerousGetHandle();
        }
        return result;
    }

    internal static nint HandleOrNull(Tensor? t) => t is null ? IntPtr.Zero : t.Handle.DangerousGetHandle();
}

/// <summary>Maps .NET element types to <see cref="ScalarType"/>.</summary>
public static class ScalarTypes
{
    public static ScalarType Of<T>() where T : unmanaged => typeof(T) switch
    {
        var t when t == typeof(float) => ScalarType.Float32,
        var t when t == typeof(double) => ScalarType.Float64,
        var t when t == typeof(long) => ScalarType.Int64,
        var t when t == typeof(int) => ScalarType.Int32,
        var t when t == typeof(short) => ScalarType.Int16,
        var t when t == typeof(byte) => ScalarType.Byte,
        var t when t == typeof(sbyte) => ScalarType.Int8,
        var t when t == typeof(bool) => ScalarType.Bool,
        var t when t == typeof(Half) => ScalarType.Float16,
        _ => throw new NotSupportedException($"no tensor element type for {typeof(T).Name}"),
    };

    internal static void Require<T>(ScalarType actual, string what) where T : unmanaged
    {
        var expected = Of<T>();
        if (expected != actual)
        {
            throw new InvalidOperationException($"cannot {what} a {actual} tensor as {typeof(T).Name} ({expected}); convert it with .to(ScalarType.{expected}) first");
        }
    }
}
