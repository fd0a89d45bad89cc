using MlNetRobust.Torch;

namespace MlNetRobust.Data;

/// <summary>
/// What a column holds. Values of a batch are stored per type: <see cref="TextType"/> as string[],
/// <see cref="KeyType"/> as int[] (class indices into <see cref="KeyType.Names"/>), <see cref="ImageType"/>
/// as <see cref="RawImage"/>[], <see cref="TensorType"/> as one <see cref="Tensor"/> whose first dimension is
/// the batch.
/// </summary>
public abstract class ColumnType
{
    /// <summary>A short description for error messages, e.g. "Tensor&lt;float32&gt;[3, 32, 32]".</summary>
    public abstract override string ToString();
}

/// <summary>Text, such as a file path.</summary>
public sealed class TextType : ColumnType
{
    public static readonly TextType Instance = new();

    private TextType() { }

    public override string ToString() => "Text";
}

/// <summary>A class label: an index into <see cref="Names"/> (ML.NET's key type with its key-value names).</summary>
public sealed class KeyType(IReadOnlyList<string> names) : ColumnType
{
    public IReadOnlyList<string> Names { get; } = names;

    public int Count => Names.Count;

    public override string ToString() => $"Key<{Count} classes>";
}

/// <summary>Decoded images of any size and channel count (before conversion to fixed-size RGB).</summary>
public sealed class ImageType(int? height = null, int? width = null, int? channels = null) : ColumnType
{
    /// <summary>Height every image has, when known; null if sizes vary.</summary>
    public int? Height { get; } = height;

    public int? Width { get; } = width;

    /// <summary>Channels every image has (3 after ConvertToRgb); null if they vary.</summary>
    public int? Channels { get; } = channels;

    public override string ToString() =>
        $"Image<{(Height is null ? "any size" : $"{Height}x{Width}")}, {(Channels is null ? "any mode" : $"{Channels} channels")}>";
}

/// <summary>A fixed-shape tensor per row; a batch holds one tensor of shape [N, ..ItemShape].</summary>
public sealed class TensorType(ScalarType dtype, IReadOnlyList<long> itemShape, IReadOnlyDictionary<string, string>? annotations = null) : ColumnType
{
    public ScalarType DType { get; } = dtype;

    public IReadOnlyList<long> ItemShape { get; } = itemShape;

    /// <summary>Facts carried with the column, e.g. the normalisation a model must apply ("mean", "std").</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; } = annotations ?? new Dictionary<string, string>();

    public override string ToString() => $"Tensor<{DType.ToString().ToLowerInvariant()}>[{string.Join(", ", ItemShape)}]";
}
