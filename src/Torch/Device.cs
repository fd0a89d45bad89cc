namespace MlNetRobust.Torch;

/// <summary>Device kinds; values are libtorch's <c>c10::DeviceType</c> codes.</summary>
public enum DeviceType
{
    CPU = 0,
    CUDA = 1,
}

/// <summary>Where a tensor lives: a device kind and an index (-1: the current one).</summary>
public readonly record struct Device(DeviceType Type, int Index = -1)
{
    public static readonly Device CPU = new(DeviceType.CPU);

    public static Device CUDA(int index = 0) => new(DeviceType.CUDA, index);

    /// <summary>Parses "cpu", "cuda" or "cuda:N", as PyTorch does.</summary>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().ToLowerInvariant().Split(':');
        var type = parts[0] switch
        {
            "cpu" => DeviceType.CPU,
            "cuda" => DeviceType.CUDA,
            _ => throw new FormatException($"unknown device '{text}': expected cpu, cuda or cuda:N"),
        };
        if (parts.Length == 1)
        {
            return new Device(type);
        }
        if (parts.Length == 2 && int.TryParse(parts[1], out var index) && index >= 0)
        {
            return new Device(type, index);
        }
        throw new FormatException($"bad device index in '{text}': expected cuda:N with N >= 0");
    }

    public override string ToString() =>
        Type == DeviceType.CPU ? "cpu" : Index < 0 ? "cuda" : $"cuda:{Index}";
}
