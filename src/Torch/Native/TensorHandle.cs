using System.Runtime.InteropServices;

namespace MlNetRobust.Torch.Native;

/// <summary>
/// Owns one native <c>at::Tensor*</c>. Passing it to P/Invoke keeps it alive for the call; releasing it frees
/// the handle (storage is freed when libtorch's last reference goes). The finalizer is only a safety net:
/// tensors are disposed deterministically, by hand or by a <see cref="DisposeScope"/>.
/// </summary>
internal sealed class TensorHandle : SafeHandle
{
    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public TensorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.mnr_tensor_free(handle);
        return true;
    }
}

/// <summary>Owns one native <c>at::Generator*</c>.</summary>
internal sealed class GeneratorHandle : SafeHandle
{
    public GeneratorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public GeneratorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.mnr_generator_free(handle);
        return true;
    }
}
