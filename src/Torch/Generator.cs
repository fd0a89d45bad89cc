using MlNetRobust.Torch.Native;
using static MlNetRobust.Torch.Native.NativeMethods;

namespace MlNetRobust.Torch;

/// <summary>
/// A seeded random stream (libtorch's CPU generator). Give each consumer its own — data order,
/// augmentation, attacks' random starts — so that each is reproducible on its own.
/// </summary>
public sealed class Generator : IDisposable
{
    private readonly GeneratorHandle _handle;

    public Generator(ulong seed) => _handle = new GeneratorHandle(Check(mnr_generator_new(seed)));

    internal static nint HandleOrNull(Generator? g) => g is null ? IntPtr.Zero : g._handle.DangerousGetHandle();

    /// <summary>The full state, for checkpoints that resume bit for bit.</summary>
    public byte[] GetState()
    {
        using var state = Tensor.Wrap(mnr_generator_get_state(_handle.DangerousGetHandle()));
        GC.KeepAlive(this);
        return state.data<byte>();
    }

    public void SetState(byte[] state)
    {
        using var t = torch.tensor(state);
        Check(mnr_generator_set_state(_handle.DangerousGetHandle(), t.Handle));
        GC.KeepAlive(this);
    }

    public void Dispose() => _handle.Dispose();
}
