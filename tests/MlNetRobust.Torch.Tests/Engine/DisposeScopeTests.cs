using MlNetRobust.TestSupport;
using MlNetRobust.Torch.Modules;
using MlNetRobust.Torch.Optimizers;

namespace MlNetRobust.Torch.Tests.Engine;

/// <summary>Native memory is freed deterministically: scopes free temporaries, modules and optimisers own theirs.</summary>
[Collection(NativeMemoryCollection.Name)]
public sealed class DisposeScopeTests
{
    [Fact]
    public void Scope_frees_every_tensor_created_inside_it()
    {
        Garbage.CollectNow();
        var before = torch.live_tensor_count;
        using (torch.NewDisposeScope())
        {
            var a = torch.ones(100, 100);
            var b = a.add(1).mul(2).sum();
            Assert.True(torch.live_tensor_count >= before + 4);
            Assert.Equal(40000f, b.item<float>()); // (1 + 1) * 2 summed over 10,000 elements
        }
        Assert.Equal(before, torch.live_tensor_count);
    }

    [Fact]
    public void Tensor_moved_to_outer_scope_survives_the_inner_one()
    {
        using var outer = torch.NewDisposeScope();
        Tensor kept;
        Tensor dropped;
        using (torch.NewDisposeScope())
        {
            kept = torch.ones(3).MoveToOuterDisposeScope();
            dropped = torch.zeros(3);
        }
        Assert.False(kept.IsDisposed);
        Assert.True(dropped.IsDisposed);
        Assert.Equal(outer, DisposeScope.Current);
        outer.Dispose();
        Assert.True(kept.IsDisposed);
    }

    [Fact]
    public void Detached_tensor_outlives_all_scopes_until_disposed_by_hand()
    {
        Tensor t;
        using (torch.NewDisposeScope())
        {
            t = torch.ones(2).DetachFromDisposeScope();
        }
        Assert.False(t.IsDisposed);
        t.Dispose();
        Assert.True(t.IsDisposed);
        t.Dispose(); // twice is harmless
    }

    [Fact]
    public void Native_memory_does_not_grow_over_1000_training_steps()
    {
        torch.manual_seed(1);
        using var model = new Sequential(new Conv2d(3, 8, 3, padding: 1), new BatchNorm2d(8), new ReLU(),
            new AdaptiveAvgPool2d(1, 1), new Flatten(), new Linear(8, 4));
        using var optimizer = new Adam(model.parameters(), lr: 1e-3);
        using var gen = new Generator(3);
        using var x = torch.randn([16, 3, 8, 8], gen);
        using var y = torch.randint(0, 4, [16], gen);

        void Step()
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = torch.nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            optimizer.step();
        }

        // Warm up: optimiser state, allocator caches, JIT.
        for (var i = 0; i < 50; i++)
        {
            Step();
        }
        // Collect first: tensors that earlier tests left to the finalizer must not be counted as freed here.
        var rssBefore = ResidentBytes();
        var handlesBefore = torch.live_tensor_count;
        for (var i = 0; i < 1000; i++)
        {
            Step();
        }
        Assert.Equal(handlesBefore, torch.live_tensor_count);
        var growthMb = (ResidentBytes() - rssBefore) / 1048576.0;
        // One step allocates well over 1 MB of activations and gradients; a leak of any of them over 1,000 steps
        // would add hundreds of MB. A few MB of allocator and JIT noise is allowed.
        Assert.True(growthMb < 20, $"resident memory grew by {growthMb:F1} MB over 1,000 steps");
    }

    private static long ResidentBytes()
    {
        Garbage.CollectNow();
        // /proc/self/statm: size resident shared ... in pages.
        var fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }
}

/// <summary>Tests that count live native tensors run one at a time, so others' tensors do not disturb the count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeMemoryCollection
{
    public const string Name = "native memory";
}
