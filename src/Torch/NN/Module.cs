
namespace MlNetRobust.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>Marks a tensor as a trainable parameter (requires_grad), as torch.nn.Parameter.</summary>
            public static Tensor Parameter(Tensor data, bool requiresGrad = true) => data.requires_grad_(requiresGrad);
        }
    }
}

namespace MlNetRobust.Torch.Modules
{
    /// <summary>
    /// Base of every layer and model, as torch.nn.Module: named parameters, buffers and sub-modules in
    /// registration order, PyTorch's dotted names ("layer1.0.conv1.weight") so state dicts move between the
    /// two, train/eval mode, and state_dict/load_state_dict. A module owns its tensors and frees them on Dispose.
    /// </summary>
    public abstract class Module : IDisposable
    {
        private readonly OrderedDictionary<string, Tensor?> _parameters = new();
        private readonly OrderedDictionary<string, Tensor?> _buffers = new();
        private readonly HashSet<string> _nonPersistent = new();
        private readonly OrderedDictionary<string, Module> _modules = new();
        private bool _disposed;

        /// <summary>True in training mode (dropout active, batch norm uses and updates batch statistics).</summary>
        public bool training { get; private set; } = true;

        protected Tensor? RegisterParameter(string name, Tensor? parameter)
        {
            CheckName(name);
            _parameters[name] = parameter?.DetachFromDisposeScope();
            return parameter;
        }

        protected Tensor? RegisterBuffer(string name, Tensor? buffer, bool persistent = true)
        {
            CheckName(name);
            _buffers[name] = buffer?.DetachFromDisposeScope();
            if (!persistent)
            {
                _nonPersistent.Add(name);
            }
            return buffer;
        }

        protected T RegisterModule<T>(string name, T module) where T : Module
        {
            CheckName(name);
            _modules[name] = module;
            return module;
        }

        private void CheckName(string name)
        {
            if (string.IsNullOrEmpty(name) || name.Contains('.'))
            {
                throw new ArgumentException($"bad member name '{name}': names must be non-empty and contain no '.'", nameof(name));
            }
            if (_parameters.ContainsKey(name) || _buffers.ContainsKey(name) || _modules.ContainsKey(name))
            {
                throw new ArgumentException($"'{name}' is already registered in {GetType().Name}", nameof(name));
            }
        }

        /// <summary>Replaces a registered parameter or buffer tensor (used by <see cref="to(Device)"/>); the old one is disposed.</summary>
        private void Replace(OrderedDictionary<string, Tensor?> table, string name, Tensor value)
        {
            var old = table[name];
            table[name] = value.DetachFromDisposeScope();
            old?.Dispose();
        }

        /// <summary>A registered parameter by local name (layers read theirs through this, so <see cref="to(Device)"/> is seen).</summary>
        protected Tensor? GetParameter(string name) => _parameters[name];

        protected Tensor? GetBuffer(string name) => _buffers[name];

        // ---- traversal ---------------------------------------------------------------------------------

        public IEnumerable<(string name, Module module)> named_children() => _modules.Select(kv => (kv.Key, kv.Value));

        public IEnumerable<(string name, Module module)> named_modules(string prefix = "")
        {
            yield return (prefix, this);
            foreach (var (name, child) in _modules)
            {
                foreach (var m in child.named_modules(Join(prefix, name)))
                {
                    yield return m;
                }
            }
        }

        public IEnumerable<(string name, Tensor parameter)> named_parameters(bool recurse = true)
        {
            foreach (var (prefix, module) in recurse ? named_modules() : [("", this)])
            {
                foreach (var (name, p) in module._parameters)
                {
                    if (p is not null)
                    {
                        yield return (Join(prefix, name), p);
                    }
                }
            }
        }

        public IEnumerable<Tensor> parameters(bool recurse = true) => named_parameters(recurse).Select(p => p.parameter);

        public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true)
        {
            foreach (var (prefix, module) in recurse ? named_modules() : [("", this)])
            {
                foreach (var (name, b) in module._buffers)
                {
                    if (b is not null)
                    {
                        yield return (Join(prefix, name), b);
                    }
                }
            }
        }

        private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

        // ---- modes ---------------------------------------------------------------------------------------

        public Module train(bool mode = true)
        {
            foreach (var (_, m) in named_modules())
            {
                m.training = mode;
            }
            return this;
        }

        public Module eval() => train(false);

        /// <summary>Clears every parameter's gradient (set_to_none, PyTorch's default since 2.0).</summary>
        public void zero_grad()
        {
            foreach (var p in parameters())
            {
                p.grad = null;
            }
        }

        /// <summary>Moves every parameter and buffer to a device, keeping requires_grad.</summary>
        public Module to(Device device)
        {
            foreach (var (_, m) in named_modules())
            {
                foreach (var name in m._parameters.Keys.ToList())
                {
                    if (m._parameters[name] is { } p && p.device != device)
                    {
                        using var moved = p.detach().DetachFromDisposeScope();
                        m.Replace(m._parameters, name, moved.to(device).requires_grad_(p.requires_grad));
                    }
                }
                foreach (var name in m._buffers.Keys.ToList())
                {
                    if (m._buffers[name] is { } b && b.device != device)
                    {
                        m.Replace(m._buffers, name, b.to(device));
                    }
                }
            }
            return this;
        }

        // ---- state dicts -------------------------------------------------------------------------------

        /// <summary>
        /// Parameters and persistent buffers by dotted name, in PyTorch's order. The tensors are the module's
        /// own (not copies): do not dispose them.
        /// </summary>
        public OrderedDictionary<string, Tensor> state_dict()
        {
            var result = new OrderedDictionary<string, Tensor>();
            foreach (var (prefix, module) in named_modules())
            {
                foreach (var (name, p) in module._parameters)
                {
                    if (p is not null)
                    {
                        result[Join(prefix, name)] = p;
                    }
                }
                foreach (var (name, b) in module._buffers)
                {
                    if (b is not null && !module._nonPersistent.Contains(name))
                    {
                        result[Join(prefix, name)] = b;
                    }
                }
            }
            return result;
        }

        /// <summary>
        /// Copies values from a state dict into this module's tensors. With <paramref name="strict"/>, every
        /// missing and unexpected key is an error; a shape mismatch always is. The error lists every problem key.
        /// </summary>
        public void load_state_dict(IReadOnlyDictionary<string, Tensor> source, bool strict = true)
        {
            var own = state_dict();
            var problems = new List<string>();
            if (strict)
            {
                problems.AddRange(own.Keys.Where(k => !source.ContainsKey(k)).Select(k => $"missing key '{k}'"));
                problems.AddRange(source.Keys.Where(k => !own.ContainsKey(k)).Select(k => $"unexpected key '{k}'"));
            }
            foreach (var (key, target) in own)
            {
                if (source.TryGetValue(key, out var value) && !value.shape.SequenceEqual(target.shape))
                {
                    problems.Add($"shape mismatch for '{key}': file has [{string.Join(", ", value.shape)}], model has [{string.Join(", ", target.shape)}]");
                }
            }
            if (problems.Count > 0)
            {
                throw new InvalidDataException($"cannot load state dict into {GetType().Name}: {problems.Count} problem(s):\n  " + string.Join("\n  ", problems));
            }
            using var noGrad = torch.no_grad();
            foreach (var (key, target) in own)
            {
                if (source.TryGetValue(key, out var value))
                {
                    using var converted = value.to(target.dtype, target.device);
                    target.copy_(converted);
                }
            }
        }

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (_disposed || !disposing)
            {
                return;
            }
            _disposed = true;
            foreach (var p in _parameters.Values)
            {
                p?.Dispose();
            }
            foreach (var b in _buffers.Values)
            {
                b?.Dispose();
            }
            foreach (var m in _modules.Values)
            {
                m.Dispose();
            }
        }
    }

    /// <summary>A module with a typed forward pass.</summary>
    public abstract class Module<TInput, TOutput> : Module
    {
        public abstract TOutput forward(TInput input);

        /// <summary>Runs <see cref="forward"/> (PyTorch's <c>module(x)</c>).</summary>
        public TOutput call(TInput input) => forward(input);
    }
}
