namespace MlNetRobust.Transforms.Sampling;

/// <summary>
/// A small seeded stream (SplitMix64 over <see cref="SeedMixer"/>) for row ids and shuffles. Our own rather than
/// System.Random, whose seeded sequence .NET does not promise to keep across versions: splits and samplers must
/// give the same rows on every machine and runtime.
/// </summary>
internal sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return SeedMixer.Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => SeedMixer.ToUnit(NextUInt64());

    /// <summary>Uniform in [0, n), without modulo bias (Lemire's multiply-and-reject).</summary>
    public long NextLong(long n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var bound = (ulong)n;
        var product = (UInt128)NextUInt64() * bound;
        if ((ulong)product < bound)
        {
            var threshold = (0UL - bound) % bound;
            while ((ulong)product < threshold)
            {
                product = (UInt128)NextUInt64() * bound;
            }
        }
        return (long)(ulong)(product >> 64);
    }

    /// <summary>Fisher–Yates, in place.</summary>
    public void Shuffle<T>(T[] items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = (int)NextLong(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
