namespace MlNetRobust.Transforms.Umap;

/// <summary>
/// One epoch of UMAP's layout SGD (umap-learn's <c>optimize_layout_euclidean</c>): every edge whose turn has come
/// (epochs-per-sample schedule, so an edge of weight w is sampled w / w_max of the epochs) pulls its head point
/// towards its tail with the gradient of log q, q(d) = 1 / (1 + a d^(2b)), and pushes it away from
/// <c>negative_sample_rate</c> random points per sample with the gradient of log(1 − q); each coordinate's step
/// is clipped to ±4 before scaling by the learning rate.
///
/// Determinism with threads: umap-learn updates one shared array from many threads (Hogwild), which is why it
/// turns parallelism off when given a seed. Here each head point is owned by one thread, which applies its
/// edges in order to its own position, while every other point is read from a snapshot taken at the start of
/// the epoch; the random draws of an edge come from (seed, head, edge, epoch). The result is therefore the
/// same for any number of threads. In the training graph each undirected edge is stored in both directions
/// and umap-learn moves both ends at each sample (<c>move_other</c>); here each direction moves its own head,
/// so an attraction factor of 2 keeps umap-learn's balance of two pulls per pair-sample against
/// <c>negative_sample_rate</c> pushes. Transform passes 1 with the training map as the (fixed) tails.
/// </summary>
internal sealed class LayoutOptimizer
{
    private const float Clip = 4f;
    private const float Gamma = 1f;   // umap-learn's repulsion_strength
    private const int HeadsPerTask = 256;

    private readonly int[] _rowStart;
    private readonly int[] _tails;
    private readonly ulong[] _headStreams;
    private readonly float _a;
    private readonly float _b;
    private readonly float _attraction;
    private readonly bool _sameSpace;
    private readonly double[] _epochsPerSample;
    private readonly double[] _epochsPerNegativeSample;
    private readonly double[] _nextSample;
    private readonly double[] _nextNegativeSample;

    /// <param name="rowStart">CSR offsets over head points: head h owns edges rowStart[h] .. rowStart[h+1]-1.</param>
    /// <param name="tails">The tail point of every edge (an index into the tail positions).</param>
    /// <param name="weights">Membership strength of every edge (all &gt; 0).</param>
    /// <param name="maxWeight">The weight sampled every epoch (umap-learn: the graph's largest).</param>
    /// <param name="headStreams">A random stream id per head point; draws derive from (stream, edge in row, epoch).</param>
    /// <param name="sameSpace">Heads and tails are the same points (fit): a head never repels itself.</param>
    public LayoutOptimizer(int[] rowStart, int[] tails, float[] weights, double maxWeight, ulong[] headStreams, double a, double b,
        int negativeSampleRate, double attraction, bool sameSpace)
    {
        _rowStart = rowStart;
        _tails = tails;
        _headStreams = headStreams;
        _a = (float)a;
        _b = (float)b;
        _attraction = (float)attraction;
        _sameSpace = sameSpace;
        var edges = tails.Length;
        _epochsPerSample = new double[edges];
        _epochsPerNegativeSample = new double[edges];
        _nextSample = new double[edges];
        _nextNegativeSample = new double[edges];
        for (var e = 0; e < edges; e++)
        {
            // make_epochs_per_sample: n_epochs / (n_epochs · w / w_max) = w_max / w.
            _epochsPerSample[e] = maxWeight / weights[e];
            _epochsPerNegativeSample[e] = negativeSampleRate > 0 ? _epochsPerSample[e] / negativeSampleRate : double.PositiveInfinity;
            _nextSample[e] = _epochsPerSample[e];
            _nextNegativeSample[e] = _epochsPerNegativeSample[e];
        }
    }

    public int HeadCount => _rowStart.Length - 1;

    /// <summary>Caps the SGD's threads (null: all cores). Results do not depend on it; tests use it to show that.</summary>
    internal static int? MaxThreads { get; set; }

    /// <summary>
    /// Runs epoch <paramref name="epoch"/> (0-based) with step <paramref name="alpha"/>, moving the heads in
    /// <paramref name="heads"/> ([H, 2] row-major) against the tail positions <paramref name="tails"/> ([T, 2]),
    /// which must not change during the call (for fit: a snapshot of the heads).
    /// </summary>
    public void RunEpoch(int epoch, float alpha, float[] heads, float[] tails, int tailCount)
    {
        var tasks = (HeadCount + HeadsPerTask - 1) / HeadsPerTask;
        Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = MaxThreads ?? -1 }, t =>
        {
            var end = Math.Min(HeadCount, (t + 1) * HeadsPerTask);
            for (var h = t * HeadsPerTask; h < end; h++)
            {
                MoveHead(h, epoch, alpha, heads, tails, tailCount);
            }
        });
    }

    private void MoveHead(int h, int epoch, float alpha, float[] heads, float[] tails, int tailCount)
    {
        float a = _a, b = _b;
        var x = heads[2 * h];
        var y = heads[2 * h + 1];
        for (var e = _rowStart[h]; e < _rowStart[h + 1]; e++)
        {
            if (_nextSample[e] > epoch)
            {
                continue;
            }
            var k = _tails[e];
            var dx = x - tails[2 * k];
            var dy = y - tails[2 * k + 1];
            var d2 = dx * dx + dy * dy;
            if (d2 > 0)
            {
                // d log q / d(d²) · 2: −2ab d^(2(b−1)) / (1 + a d^(2b)).
                var p = MathF.Pow(d2, b);
                var coefficient = -2f * a * b * (p / d2) / (a * p + 1f);
                x += _attraction * ClipStep(coefficient * dx) * alpha;
                y += _attraction * ClipStep(coefficient * dy) * alpha;
            }
            _nextSample[e] += _epochsPerSample[e];

            var negatives = double.IsFinite(_epochsPerNegativeSample[e]) ? (int)((epoch - _nextNegativeSample[e]) / _epochsPerNegativeSample[e]) : 0;
            var stream = SeedMixer.Mix(_headStreams[h], e - _rowStart[h], (ulong)epoch);
            for (var s = 0; s < negatives; s++)
            {
                stream += 0x9E3779B97F4A7C15UL;
                var other = (int)Math.BigMul(SeedMixer.Mix(stream), (ulong)tailCount, out _);
                if (_sameSpace && other == h)
                {
                    continue;
                }
                dx = x - tails[2 * other];
                dy = y - tails[2 * other + 1];
                d2 = dx * dx + dy * dy;
                if (d2 > 0)
                {
                    // Gradient of log(1 − q), with umap-learn's 0.001 guard against d → 0.
                    var p = MathF.Pow(d2, b);
                    var coefficient = 2f * Gamma * b / ((0.001f + d2) * (a * p + 1f));
                    x += ClipStep(coefficient * dx) * alpha;
                    y += ClipStep(coefficient * dy) * alpha;
                }
            }
            _nextNegativeSample[e] += negatives * _epochsPerNegativeSample[e];
        }
        heads[2 * h] = x;
        heads[2 * h + 1] = y;
    }

    private static float ClipStep(float value) => Math.Clamp(value, -Clip, Clip);
}
