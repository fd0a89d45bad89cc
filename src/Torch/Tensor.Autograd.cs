using static MlNetRobust.Torch.Native.NativeMethods;

namespace MlNetRobust.Torch;

// Autograd on a tensor: requires_grad, backward, the accumulated gradient, detaching.
public sealed unsafe partial class Tensor
{
    public bool requires_grad
    {
        get => mnr_requires_grad(Handle) != 0;
        set => Check(mnr_set_requires_grad(Handle, value ? 1 : 0));
    }

    public Tensor requires_grad_(bool value = true)
    {
        requires_grad = value;
        return this;
    }

    public bool is_leaf => mnr_is_leaf(Handle) != 0;

    /// <summary>
    /// The accumulated gradient, or null when none was computed. Each read returns a new handle to the same
    /// gradient tensor (dispose it; the gradient itself stays on this tensor).
    /// </summary>
    public Tensor? grad
    {
        get
        {
            nint g;
            Check(mnr_grad(Handle, &g));
            return g == IntPtr.Zero ? null : new Tensor(g);
        }
        set
        {
            Check(mnr_set_grad(Handle, HandleOrNull(value)));
            GC.KeepAlive(value);
        }
    }

    /// <summary>Backpropagates from this tensor; <paramref name="gradient"/> is needed unless it has one element.</summary>
    public void backward(Tensor? gradient = null, bool retainGraph = false, bool createGraph = false)
    {
        Check(mnr_backward(Handle, HandleOrNull(gradient), retainGraph ? 1 : 0, createGraph ? 1 : 0));
        GC.KeepAlive(gradient);
    }

    /// <summary>A tensor sharing storage with this one but cut from the autograd graph.</summary>
    public Tensor detach() => Wrap(mnr_detach(Handle));

    public Tensor detach_() => Done(mnr_detach_(Handle));

    // ---- in-place random fills (seeded through an optional generator) -------------------------------
    public Tensor uniform_(double from = 0, double to = 1, Generator? generator = null)
    {
        var status = mnr_uniform_(Handle, from, to, Generator.HandleOrNull(generator));
        GC.KeepAlive(generator);
        return Done(status);
    }

    public Tensor normal_(double mean = 0, double std = 1, Generator? generator = null)
    {
        var status = mnr_normal_(Handle, mean, std, Generator.HandleOrNull(generator));
        GC.KeepAlive(generator);
        return Done(status);
    }
}
