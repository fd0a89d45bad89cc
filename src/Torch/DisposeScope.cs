namespace MlNetRobust.Torch;

/// <summary>
/// Collects every tensor created on this thread while it is the innermost scope, and frees them all when
/// disposed — so a training step frees its temporaries at the end of the step instead of waiting for the
/// garbage collector (which never sees native memory pressure). Results that must outlive the step are
/// moved out with <see cref="Tensor.MoveToOuterDisposeScope"/> or <see cref="Tensor.DetachFromDisposeScope"/>.
/// Mirrors TorchSharp's <c>torch.NewDisposeScope()</c>.
/// </summary>
/// <example><code>
/// using (torch.NewDisposeScope())
/// {
///     var loss = model.forward(x).cross_entropy(y);   // temporaries: freed at the end of the block
///     loss.backward();
/// }
/// </code></example>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic]
    private static DisposeScope? s_current;

    private readonly HashSet<Tensor> _tensors = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;

    internal DisposeScope()
    {
        Outer = s_current;
        s_current = this;
    }

    /// <summary>The innermost open scope of this thread, or null.</summary>
    public static DisposeScope? Current => s_current;

    /// <summary>The scope that was current when this one opened.</summary>
    public DisposeScope? Outer { get; }

    /// <summary>How many tensors this scope will free.</summary>
    public int Count => _tensors.Count;

    internal void Register(Tensor tensor) => _tensors.Add(tensor);

    internal bool Remove(Tensor tensor) => _tensors.Remove(tensor);

    /// <summary>Includes a tensor created elsewhere in this scope (it will be freed with the scope).</summary>
    public Tensor Include(Tensor tensor)
    {
        tensor.OwningScope?.Remove(tensor);
        tensor.OwningScope = this;
        _tensors.Add(tensor);
        return tensor;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var t in _tensors)
        {
            t.OwningScope = null;
            t.Dispose();
        }
        _tensors.Clear();
        // Scopes nest strictly; closing an outer scope first is a bug we do not try to repair.
        if (ReferenceEquals(s_current, this))
        {
            s_current = Outer;
        }
    }
}
