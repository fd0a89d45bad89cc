using MlNetRobust.Torch.Native;

namespace MlNetRobust.Torch;

/// <summary>An error reported by libtorch (shape mismatch, bad dtype, …), carried across the native boundary.</summary>
public sealed class TorchException : Exception
{
    public TorchException(string message) : base(message) { }

    public TorchException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Reads and clears this thread's native error.</summary>
    internal static TorchException FromNative()
    {
        var message = NativeMethods.LastError() ?? "libtorch call failed without a message";
        return new TorchException(message.Trim());
    }
}
