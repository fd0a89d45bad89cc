using System.Runtime.InteropServices;

namespace MlNetRobust.Torch.Native;

/// <summary>Error plumbing around the generated declarations in NativeMethods.g.cs.</summary>
internal static unsafe partial class NativeMethods
{
    /// <summary>This thread's last native error (cleared by reading), or null.</summary>
    internal static string? LastError()
    {
        var p = mnr_last_error();
        return p == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(p);
    }

    /// <summary>Throws the native error when a tensor-returning call returned NULL.</summary>
    internal static nint Check(nint handle) => handle != IntPtr.Zero ? handle : throw TorchException.FromNative();

    /// <summary>Throws the native error when a status-returning call returned non-zero.</summary>
    internal static void Check(int status)
    {
        if (status != 0)
        {
            throw TorchException.FromNative();
        }
    }

    internal static string CheckString(nint p) =>
        p != IntPtr.Zero ? Marshal.PtrToStringUTF8(p)! : throw TorchException.FromNative();
}
