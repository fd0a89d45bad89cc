// One tensor as stored in a state-dict file: element type, shape, and the elements as contiguous
// row-major little-endian bytes (numel * element size of them; a 0-d tensor has Shape [] and one
// element). This is what PyTorch writes for a contiguous tensor whose storage it owns, so a
// TensorRecord maps 1:1 onto a storage record of the zip file.

using System.Runtime.InteropServices;

namespace MlNetRobust.Torch.Serialization;

/// <summary>A tensor as stored in a state dict: dtype, shape and contiguous row-major element bytes.</summary>
/// <remarks>
/// Equality compares dtype, shape and bytes (bitwise, so NaN payloads and -0.0 count). The arrays
/// are not copied: callers that keep a reference to <see cref="Data"/> share it with the record.
/// </remarks>
public sealed record TensorRecord
{
    /// <exception cref="ArgumentException">A dimension is negative or <paramref name="Data"/>'s
    /// length is not numel × element size.</exception>
    public TensorRecord(ScalarType DType, long[] Shape, byte[] Data)
    {
        ArgumentNullException.ThrowIfNull(Shape);
        ArgumentNullException.ThrowIfNull(Data);
        if (Shape.Any(dimension => dimension < 0))
        {
            throw new ArgumentException($"shape {Format(Shape)} has a negative dimension", nameof(Shape));
        }

        var expected = ByteLength(DType, Shape)
            ?? throw new ArgumentException($"a {DType} tensor of shape {Format(Shape)} is larger than a byte[] can hold", nameof(Shape));
        if (Data.LongLength != expected)
        {
            throw new ArgumentException(
                $"a {DType} tensor of shape {Format(Shape)} needs {expected} bytes " +
                $"({expected / DType.ElementSize()} elements of {DType.ElementSize()} bytes), but Data has {Data.LongLength}",
                nameof(Data));
        }

        this.DType = DType;
        this.Shape = Shape;
        this.Data = Data;
    }

    public ScalarType DType { get; }

    public long[] Shape { get; }

    /// <summary>Contiguous row-major little-endian element bytes.</summary>
    public byte[] Data { get; }

    /// <summary>Number of elements (1 for a 0-d tensor).</summary>
    public long NumElements => Data.LongLength / DType.ElementSize();

    /// <summary>Copies <paramref name="values"/> into a new record; <typeparamref name="T"/> must match
    /// the dtype (float → Float32, Half → Float16, long → Int64, bool → Bool, …). BFloat16 has no .NET
    /// element type: build those from bytes.</summary>
    public static TensorRecord Create<T>(ReadOnlySpan<T> values, params long[] shape)
        where T : unmanaged =>
        new(ScalarTypeOf<T>(), shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>The elements as <typeparamref name="T"/>, which must match the dtype.</summary>
    public ReadOnlySpan<T> AsSpan<T>()
        where T : unmanaged
    {
        var requested = ScalarTypeOf<T>();
        if (requested != DType)
        {
            throw new InvalidOperationException($"this tensor holds {DType} elements, not {requested} ({typeof(T).Name})");
        }

        return MemoryMarshal.Cast<byte, T>(Data);
    }

    public bool Equals(TensorRecord? other) =>
        other is not null
        && DType == other.DType
        && Shape.AsSpan().SequenceEqual(other.Shape)
        && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(DType);
        foreach (var dimension in Shape)
        {
            hash.Add(dimension);
        }

        hash.AddBytes(Data);
        return hash.ToHashCode();
    }

    public override string ToString() => $"TensorRecord {{ DType = {DType}, Shape = {Format(Shape)}, Data = {Data.Length} bytes }}";

    /// <summary>numel × element size, or null if a dimension is negative or the tensor is larger than
    /// a byte[] can hold.</summary>
    internal static long? ByteLength(ScalarType dtype, ReadOnlySpan<long> shape)
    {
        foreach (var dimension in shape)
        {
            if (dimension < 0)
            {
                return null;
            }

            if (dimension == 0)
            {
                return 0;
            }
        }

        long length = dtype.ElementSize();
        foreach (var dimension in shape)
        {
            // Dividing instead of multiplying keeps the check overflow-free.
            if (length > Array.MaxLength / dimension)
            {
                return null;
            }

            length *= dimension;
        }

        return length;
    }

    internal static string Format(ReadOnlySpan<long> shape) => $"[{string.Join(", ", shape.ToArray())}]";

    private static ScalarType ScalarTypeOf<T>()
        where T : unmanaged => default(T) switch
        {
            float => ScalarType.Float32,
            double => ScalarType.Float64,
            Half => ScalarType.Float16,
            long => ScalarType.Int64,
            int => ScalarType.Int32,
            short => ScalarType.Int16,
            sbyte => ScalarType.Int8,
            byte => ScalarType.Byte,
            bool => ScalarType.Bool,
            _ => throw new NotSupportedException($"{typeof(T).Name} is not a tensor element type"),
        };
}
