using System.Reflection;
using System.Runtime.InteropServices;
using MlNetRobust.Torch.Native;

namespace MlNetRobust.Torch.Tests.Engine;

/// <summary>The managed declarations and the native library agree, and errors cross the boundary as TorchException.</summary>
public sealed class NativeSurfaceTests
{
    [Fact]
    public void Every_declared_entry_point_is_exported_by_the_shim()
    {
        var handle = NativeLibrary.Load(NativeMethods.Lib, typeof(Tensor).Assembly, null);
        var declared = typeof(NativeMethods).GetMethods(BindingFlags.Static | BindingFlags.NonPublic)
            .Select(m => m.Name).Where(n => n.StartsWith("mnr_", StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(declared.Count > 200, $"only {declared.Count} declarations found");
        var missing = declared.Where(n => !NativeLibrary.TryGetExport(handle, n, out _)).ToList();
        Assert.True(missing.Count == 0, "not exported: " + string.Join(", ", missing));
    }

    [Fact]
    public void Libtorch_errors_become_torch_exceptions_with_the_libtorch_message()
    {
        using var a = torch.zeros(2, 3);
        using var b = torch.zeros(4, 5);
        var e = Assert.Throws<TorchException>(() => a.matmul(b));
        Assert.Contains("cannot be multiplied", e.Message);
        // The error is consumed: the next call on this thread succeeds.
        using var ok = a.add(1);
        Assert.Equal(6f, ok.sum().item<float>());
    }

    [Fact]
    public void Runtime_reports_version_threads_and_a_blas()
    {
        Assert.StartsWith("1.13", torch.version);
        Assert.Contains("BLAS", torch.config);
        var threads = torch.get_num_threads();
        torch.set_num_threads(1);
        Assert.Equal(1, torch.get_num_threads());
        torch.set_num_threads(threads);
        Assert.Throws<ArgumentOutOfRangeException>(() => torch.set_num_threads(0));
    }

    [Fact]
    public void Large_tensors_come_from_the_malloc_heap_not_from_fresh_mmaps()
    {
        if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null)
        {
            Assert.Equal(0, torch.allocator_tuning.MmapThreshold); // the user's setting wins
            return;
        }
        Assert.Equal(1L << 30, torch.allocator_tuning.MmapThreshold);
        // 40 MB is above glibc's largest automatic mmap threshold (32 MB): without the tuning it is always mmapped.
        var before = torch.mmapped_block_count;
        using (var big = torch.zeros(10 * 1024 * 1024))
        {
            Assert.Equal(10 * 1024 * 1024, big.numel());
            Assert.Equal(before, torch.mmapped_block_count);
        }
    }
}
