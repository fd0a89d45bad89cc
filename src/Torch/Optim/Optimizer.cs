namespace MlNetRobust.Torch.Optimizers;

/// <summary>
/// Base of the optimisers, as torch.optim.Optimizer: parameters, a learning rate that schedulers change,
/// per-parameter state tensors, and a state dict for checkpoints that resume bit for bit.
/// Updates run under no_grad, in place, so parameters keep their identity (and their place in the model).
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly Dictionary<(int parameter, string name), Tensor> _state = new();

    protected Optimizer(IEnumerable<Tensor> parameters, double lr)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lr);
        Parameters = parameters.ToList();
        if (Parameters.Count == 0)
        {
            throw new ArgumentException("optimizer got an empty parameter list", nameof(parameters));
        }
        LearningRate = InitialLearningRate = lr;
    }

    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The current learning rate (schedulers set it).</summary>
    public double LearningRate { get; set; }

    /// <summary>The learning rate the optimiser was created with (schedulers scale from it).</summary>
    public double InitialLearningRate { get; }

    /// <summary>Number of <see cref="step"/> calls so far.</summary>
    public long StepCount { get; private set; }

    public void step()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        StepCount++;
        for (var i = 0; i < Parameters.Count; i++)
        {
            var grad = Parameters[i].grad;
            if (grad is not null)
            {
                Update(i, Parameters[i], grad);
            }
        }
    }

    /// <summary>Applies one update to parameter <paramref name="index"/>. Runs inside a dispose scope and no_grad.</summary>
    protected abstract void Update(int index, Tensor parameter, Tensor grad);

    /// <summary>A state tensor of a parameter, created (outside the step's dispose scope) on first use.</summary>
    protected Tensor State(int index, string name, Func<Tensor> create)
    {
        if (!_state.TryGetValue((index, name), out var t))
        {
            t = create().DetachFromDisposeScope();
            _state[(index, name)] = t;
        }
        return t;
    }

    protected bool HasState(int index, string name) => _state.ContainsKey((index, name));

    public void zero_grad()
    {
        foreach (var p in Parameters)
        {
            p.grad = null;
        }
    }

    /// <summary>
    /// State for a checkpoint: "state.{parameter}.{name}" tensors (copies) plus "step" and "lr" as 0-d tensors.
    /// The caller disposes the returned tensors.
    /// </summary>
    public Dictionary<string, Tensor> state_dict()
    {
        var result = new Dictionary<string, Tensor>
        {
            ["step"] = torch.tensor(new[] { StepCount }, Array.Empty<long>()).DetachFromDisposeScope(),
            ["lr"] = torch.tensor(new[] { LearningRate }, Array.Empty<long>()).DetachFromDisposeScope(),
        };
        foreach (var ((index, name), t) in _state)
        {
            result[$"state.{index}.{name}"] = t.clone().DetachFromDisposeScope();
        }
        return result;
    }

    public void load_state_dict(IReadOnlyDictionary<string, Tensor> state)
    {
        StepCount = state.TryGetValue("step", out var s) ? s.item<long>() : throw new InvalidDataException("optimizer state has no 'step' entry");
        LearningRate = state.TryGetValue("lr", out var lr) ? lr.item<double>() : throw new InvalidDataException("optimizer state has no 'lr' entry");
        DisposeState();
        foreach (var (key, value) in state)
        {
            if (!key.StartsWith("state.", StringComparison.Ordinal))
            {
                continue;
            }
            var parts = key.Split('.', 3);
            if (parts.Length != 3 || !int.TryParse(parts[1], out var index) || index < 0 || index >= Parameters.Count)
            {
                throw new InvalidDataException($"bad optimizer state key '{key}': expected state.<parameter 0..{Parameters.Count - 1}>.<name>");
            }
            _state[(index, parts[2])] = value.clone().DetachFromDisposeScope();
        }
    }

    private void DisposeState()
    {
        foreach (var t in _state.Values)
        {
            t.Dispose();
        }
        _state.Clear();
    }

    public void Dispose()
    {
        DisposeState();
        GC.SuppressFinalize(this);
    }
}
