using System.Reflection;
using static MlNetRobust.Torch.Native.NativeMethods;

namespace MlNetRobust.Torch;

/// <summary>
/// The entry point, shaped like PyTorch's <c>torch</c> module and TorchSharp's <c>torch</c> class: tensor
/// factories, joins, random numbers, grad mode, seeds and threads. Modules, functional ops and optimisers
/// are in the nested <c>torch.nn</c> and <c>torch.optim</c> classes.
/// </summary>
public static unsafe partial class torch
{
    public const ScalarType float32 = ScalarType.Float32;
    public const ScalarType float64 = ScalarType.Float64;
    public const ScalarType int64 = ScalarType.Int64;
    public const ScalarType int32 = ScalarType.Int32;
    public const ScalarType uint8 = ScalarType.Byte;
    public const ScalarType @bool = ScalarType.Bool;

    // ---- creation --------------------------------------------------------------------------------

    /// <summary>A tensor holding a copy of <paramref name="data"/>, shaped as <paramref name="shape"/> (1-D when omitted).</summary>
    public static Tensor tensor<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, Device? device = null) where T : unmanaged
    {
        long expected = 1;
        foreach (var d in shape)
        {
            expected *= d;
        }
        if (expected != data.Length)
        {
            throw new ArgumentException($"data has {data.Length} elements but shape [{string.Join(", ", shape.ToArray())}] needs {expected}", nameof(data));
        }
        var dev = device ?? Device.CPU;
        fixed (T* p = data)
        fixed (long* s = shape)
        {
            return Tensor.Wrap(mnr_from_data(p, (long)data.Length * sizeof(T), s, shape.Length, (int)ScalarTypes.Of<T>(), (int)dev.Type, dev.Index));
        }
    }

    /// <summary>A tensor of the given type and shape from raw little-endian element bytes (row-major).</summary>
    public static Tensor frombuffer(ReadOnlySpan<byte> data, ScalarType dtype, ReadOnlySpan<long> shape, Device? device = null)
    {
        var dev = device ?? Device.CPU;
        fixed (byte* p = data)
        fixed (long* s = shape)
        {
            return Tensor.Wrap(mnr_from_data(p, data.Length, s, shape.Length, (int)dtype, (int)dev.Type, dev.Index));
        }
    }

    public static Tensor tensor<T>(T[] data, params long[] shape) where T : unmanaged =>
        tensor((ReadOnlySpan<T>)data, shape.Length == 0 ? [data.Length] : (ReadOnlySpan<long>)shape);

    public static Tensor tensor<T>(T[,] data) where T : unmanaged
    {
        var flat = new T[data.Length];
        Buffer.BlockCopy(data, 0, flat, 0, flat.Length * sizeof(T));
        return tensor<T>(flat, data.GetLength(0), data.GetLength(1));
    }

    /// <summary>A 0-dimensional tensor.</summary>
    public static Tensor scalar_tensor(double value, ScalarType dtype = ScalarType.Float32) => full([], value, dtype);

    public static Tensor empty(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        Make(shape, dtype, device, (s, n, t, d, i) => mnr_empty(s, n, t, d, i));

    public static Tensor zeros(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        Make(shape, dtype, device, (s, n, t, d, i) => mnr_zeros(s, n, t, d, i));

    public static Tensor ones(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        Make(shape, dtype, device, (s, n, t, d, i) => mnr_ones(s, n, t, d, i));

    public static Tensor full(long[] shape, Scalar value, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        Make(shape, dtype, device, (s, n, t, d, i) => mnr_full(s, n, value, t, d, i));

    public static Tensor zeros(params long[] shape) => zeros(shape, ScalarType.Float32);

    public static Tensor ones(params long[] shape) => ones(shape, ScalarType.Float32);

    public static Tensor zeros_like(Tensor t) => Tensor.Wrap(mnr_zeros_like(t.Handle));

    public static Tensor ones_like(Tensor t) => Tensor.Wrap(mnr_ones_like(t.Handle));

    public static Tensor empty_like(Tensor t) => Tensor.Wrap(mnr_empty_like(t.Handle));

    public static Tensor full_like(Tensor t, Scalar value) => Tensor.Wrap(mnr_full_like(t.Handle, value));

    public static Tensor arange(Scalar start, Scalar end, Scalar? step = null, ScalarType? dtype = null, Device? device = null)
    {
        var dev = device ?? Device.CPU;
        var type = dtype ?? (start.IsIntegral && end.IsIntegral && (step?.IsIntegral ?? true) ? ScalarType.Int64 : ScalarType.Float32);
        return Tensor.Wrap(mnr_arange(start, end, step ?? 1, (int)type, (int)dev.Type, dev.Index));
    }

    public static Tensor arange(long end, ScalarType dtype = ScalarType.Int64) => arange(0, end, 1, dtype);

    public static Tensor linspace(double start, double end, long steps, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        var dev = device ?? Device.CPU;
        return Tensor.Wrap(mnr_linspace(start, end, steps, (int)dtype, (int)dev.Type, dev.Index));
    }

    public static Tensor eye(long n, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        var dev = device ?? Device.CPU;
        return Tensor.Wrap(mnr_eye(n, (int)dtype, (int)dev.Type, dev.Index));
    }

    private delegate nint Factory(long* shape, int ndim, int dtype, int deviceType, int deviceIndex);

    private static Tensor Make(long[] shape, ScalarType dtype, Device? device, Factory factory)
    {
        var dev = device ?? Device.CPU;
        fixed (long* s = shape)
        {
            return Tensor.Wrap(factory(s, shape.Length, (int)dtype, (int)dev.Type, dev.Index));
        }
    }

    // ---- random ----------------------------------------------------------------------------------

    /// <summary>Uniform in [0, 1).</summary>
    public static Tensor rand(long[] shape, Generator? generator = null, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        Random(shape, generator, dtype, device, (s, n, g, t, d, i) => mnr_rand(s, n, g, t, d, i));

    /// <summary>Standard normal.</summary>
    public static Tensor randn(long[] shape, Generator? generator = null, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        Random(shape, generator, dtype, device, (s, n, g, t, d, i) => mnr_randn(s, n, g, t, d, i));

    /// <summary>Integers uniform in [low, high).</summary>
    public static Tensor randint(long low, long high, long[] shape, Generator? generator = null, ScalarType dtype = ScalarType.Int64, Device? device = null) =>
        Random(shape, generator, dtype, device, (s, n, g, t, d, i) => mnr_randint(low, high, s, n, g, t, d, i));

    /// <summary>A random permutation of 0..n-1 (int64).</summary>
    public static Tensor randperm(long n, Generator? generator = null, Device? device = null)
    {
        var dev = device ?? Device.CPU;
        var h = mnr_randperm(n, Generator.HandleOrNull(generator), (int)dev.Type, dev.Index);
        GC.KeepAlive(generator);
        return Tensor.Wrap(h);
    }

    /// <summary>1 with the probability given element-wise by <paramref name="probabilities"/>, else 0.</summary>
    public static Tensor bernoulli(Tensor probabilities, Generator? generator = null)
    {
        var h = mnr_bernoulli(probabilities.Handle, Generator.HandleOrNull(generator));
        GC.KeepAlive(generator);
        return Tensor.Wrap(h);
    }

    private delegate nint RandomFactory(long* shape, int ndim, nint generator, int dtype, int deviceType, int deviceIndex);

    private static Tensor Random(long[] shape, Generator? generator, ScalarType dtype, Device? device, RandomFactory factory)
    {
        var dev = device ?? Device.CPU;
        fixed (long* s = shape)
        {
            var h = factory(s, shape.Length, Generator.HandleOrNull(generator), (int)dtype, (int)dev.Type, dev.Index);
            GC.KeepAlive(generator);
            return Tensor.Wrap(h);
        }
    }

    // ---- joins and functional forms of tensor ops ----------------------------------------------------

    public static Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, (p, n, d) => mnr_cat(p, n, d));

    public static Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, (p, n, d) => mnr_stack(p, n, d));

    private delegate nint JoinFunction(nint* tensors, int count, long dim);

    private static Tensor Join(IReadOnlyList<Tensor> tensors, long dim, JoinFunction join)
    {
        var handles = Tensor.Handles(tensors);
        fixed (nint* p = handles)
        {
            var h = join(p, handles.Length, dim);
            GC.KeepAlive(tensors);
            return Tensor.Wrap(h);
        }
    }

    /// <summary>Element-wise choice: a where condition holds, else b.</summary>
    public static Tensor where(Tensor condition, Tensor a, Tensor b) => Tensor.Wrap(mnr_where(condition.Handle, a.Handle, b.Handle));

    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);

    /// <summary>Pairwise p-norm distances between the rows of a (…, n, d) and b (…, m, d).</summary>
    public static Tensor cdist(Tensor a, Tensor b, double p = 2) => Tensor.Wrap(mnr_cdist(a.Handle, b.Handle, p));

    public static Tensor einsum(string equation, params Tensor[] tensors)
    {
        var handles = Tensor.Handles(tensors);
        fixed (nint* p = handles)
        {
            var h = mnr_einsum(equation, p, handles.Length);
            GC.KeepAlive(tensors);
            return Tensor.Wrap(h);
        }
    }

    public static Tensor pow(Scalar @base, Tensor exponent) => Tensor.Wrap(mnr_scalar_pow(@base, exponent.Handle));

    // ---- grad mode, seeds, threads, facts ------------------------------------------------------------

    /// <summary>Opens a scope that frees every tensor created inside it when disposed.</summary>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Disables gradient recording on this thread until disposed (torch.no_grad()).</summary>
    public static IDisposable no_grad() => new GradModeScope(false);

    /// <summary>Enables gradient recording on this thread until disposed (torch.enable_grad()).</summary>
    public static IDisposable enable_grad() => new GradModeScope(true);

    public static bool is_grad_enabled() => mnr_is_grad_enabled() != 0;

    private sealed class GradModeScope : IDisposable
    {
        private readonly bool _previous;
        private bool _disposed;

        public GradModeScope(bool enabled)
        {
            _previous = mnr_is_grad_enabled() != 0;
            mnr_set_grad_enabled(enabled ? 1 : 0);
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                mnr_set_grad_enabled(_previous ? 1 : 0);
            }
        }
    }

    /// <summary>Seeds libtorch's global generator (dropout, and random ops given no generator).</summary>
    public static void manual_seed(ulong seed) => Check(mnr_manual_seed(seed));

    public static void set_num_threads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Check(mnr_set_num_threads(threads));
    }

    public static int get_num_threads() => mnr_get_num_threads();

    /// <summary>Must be called before any inter-op work starts, as in PyTorch.</summary>
    public static void set_num_interop_threads(int threads) => Check(mnr_set_num_interop_threads(threads));

    /// <summary>libtorch's version, e.g. "1.13.0".</summary>
    public static string version => CheckString(mnr_version());

    /// <summary>This binding's version (the assembly's informational version).</summary>
    public static string binding_version =>
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>libtorch's build configuration and parallel settings (BLAS, oneDNN, OpenMP, threads).</summary>
    public static string config => CheckString(mnr_config());

    /// <summary>
    /// The glibc malloc thresholds the native library set when it loaded (0 where glibc's default or the user's
    /// MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ applies). Large tensors stay in the heap instead of being
    /// mmapped and unmapped on every step, which costs a third of a CPU training step in page faults.
    /// </summary>
    public static (long MmapThreshold, long TrimThreshold) allocator_tuning
    {
        get
        {
            long mmap, trim;
            mnr_allocator_tuning(&mmap, &trim);
            return (mmap, trim);
        }
    }

    /// <summary>One line for run records and benchmarks: the malloc policy this process runs with.</summary>
    public static string allocator_description => allocator_tuning switch
    {
        (0, 0) => "glibc malloc, thresholds from glibc or MALLOC_*_ in the environment",
        var (mmap, trim) => $"glibc malloc, mmap threshold {Describe(mmap)}, trim threshold {Describe(trim)} (set by MlNetRobust at load)",
    };

    private static string Describe(long bytes) => bytes == 0 ? "unchanged" : $"{bytes / (1024 * 1024)} MiB";

    /// <summary>Memory blocks glibc currently serves with mmap (mallinfo2's hblks).</summary>
    public static long mmapped_block_count => mnr_mmapped_block_count();

    /// <summary>Native tensor handles alive in this process; a leak check for tests and benchmarks.</summary>
    public static long live_tensor_count => mnr_live_tensor_count();

    public static class cuda
    {
        public static bool is_available() => mnr_cuda_is_available() != 0;

        public static int device_count() => Math.Max(0, mnr_cuda_device_count());
    }

    public static class autograd
    {
        /// <summary>
        /// Gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>, without touching
        /// <c>.grad</c> (torch.autograd.grad). FGSM and PGD use it for the input gradient. Entries are null
        /// where <paramref name="allowUnused"/> and an input did not contribute.
        /// </summary>
        public static Tensor?[] grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs,
            IReadOnlyList<Tensor>? gradOutputs = null, bool retainGraph = false, bool createGraph = false, bool allowUnused = false)
        {
            if (gradOutputs is not null && gradOutputs.Count != outputs.Count)
            {
                throw new ArgumentException($"{gradOutputs.Count} grad outputs for {outputs.Count} outputs", nameof(gradOutputs));
            }
            var outs = Tensor.Handles(outputs);
            var ins = Tensor.Handles(inputs);
            var gos = gradOutputs is null ? null : Tensor.Handles(gradOutputs);
            var result = new nint[ins.Length];
            fixed (nint* o = outs, i = ins, g = gos, r = result)
            {
                Check(mnr_autograd_grad(o, outs.Length, i, ins.Length, g, retainGraph ? 1 : 0, createGraph ? 1 : 0, allowUnused ? 1 : 0, r));
            }
            GC.KeepAlive(outputs);
            GC.KeepAlive(inputs);
            GC.KeepAlive(gradOutputs);
            return result.Select(h => h == IntPtr.Zero ? null : new Tensor(h)).ToArray();
        }
    }
}
