using System.Diagnostics;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Umap;

/// <summary>
/// UMAP: Uniform Manifold Approximation and Projection — McInnes, Healy &amp; Melville (2018),
/// https://arxiv.org/abs/1802.03426 — following umap-learn's implementation choices, as a steppable object:
/// <see cref="Initialize"/> builds the fuzzy graph and the initial layout, then each <see cref="RunEpoch"/> runs
/// one epoch of SGD, so callers can show progress and cancel between steps (<see cref="Run"/> does both).
///
/// Steps: exact kNN (<see cref="ExactNearestNeighbors"/>, the point itself first) → σ, ρ by binary search to
/// log₂ k and the fuzzy union A + Aᵀ − A∘Aᵀ (<see cref="FuzzySimplicialSet"/>) → edges below w_max / epochs
/// dropped → (a, b) fitted to min_dist and spread (<see cref="UmapCurve"/>) → spectral initialisation
/// (<see cref="SpectralLayout"/>), scaled so the largest coordinate is 10, plus N(0, 10⁻⁴) noise, then each
/// axis rescaled to [0, 10] → SGD epochs with the epochs-per-sample schedule, negative sampling, steps clipped
/// at ±4 and a learning rate decaying linearly to 0 (<see cref="LayoutOptimizer"/>).
///
/// Arguments (<see cref="UmapOptions"/>): n_neighbors 15, min_dist 0.1, spread 1.0, metric Euclidean,
/// epochs null (500 up to 10,000 points, else 200), negative_sample_rate 5, learning_rate 1.0; seed makes
/// every random choice (initial noise, negative samples) reproducible, whatever the number of threads.
/// Shapes: points [N, D] float → embedding [N, 2] float32.
/// Example: <c>using var umap = new UmapLayout(embeddings, new UmapOptions { MinDist = 0.3 }, seed: 42);
/// foreach (var p in umap.Run(token)) bar.Report(p.Fraction); var map = umap.EmbeddingTensor();</c>
/// </summary>
public sealed class UmapLayout : IDisposable
{
    private const ulong LayoutSalt = 0x554D41505F4C4159UL;   // "UMAP_LAY"
    private const ulong NoiseSalt = 0x554D41505F4E4F49UL;    // "UMAP_NOI"
    private const ulong SgdSalt = 0x554D41505F534744UL;      // "UMAP_SGD"

    private readonly PointSet _points;
    private readonly Stopwatch _clock = new();
    private float[]? _embedding;
    private float[]? _snapshot;
    private LayoutOptimizer? _optimizer;
    private SparseGraph? _graph;

    /// <param name="points">The input embeddings [N, D]; copied, so the caller keeps ownership.</param>
    public UmapLayout(Tensor points, UmapOptions? options = null, ulong seed = 0)
    {
        Options = options ?? new UmapOptions();
        Options.Validate();
        _points = PointSet.Create(points, Options.Metric);
        if (_points.Count < 3)
        {
            _points.Dispose();
            throw new ArgumentException($"UMAP needs at least 3 points, got {points.Describe()}", nameof(points));
        }
        Seed = seed;
        // umap-learn: with fewer points than n_neighbors, use N − 1.
        NeighborCount = Math.Min(Options.NNeighbors, _points.Count - 1);
        EpochCount = Options.EpochsFor(_points.Count);
        (A, B) = UmapCurve.FitAB(Options.Spread, Options.MinDist);
    }

    public UmapOptions Options { get; }

    public ulong Seed { get; }

    public int PointCount => _points.Count;

    /// <summary>k actually used: n_neighbors, or N − 1 for tiny sets.</summary>
    public int NeighborCount { get; }

    public int EpochCount { get; }

    /// <summary>Epochs completed so far.</summary>
    public int Epoch { get; private set; }

    public bool IsInitialized => _embedding is not null;

    public bool IsComplete => IsInitialized && Epoch >= EpochCount;

    /// <summary>The fitted curve q(d) = 1 / (1 + a d^(2b)).</summary>
    public double A { get; }

    public double B { get; }

    /// <summary>Connected components of the fuzzy graph (after pruning), known once initialised.</summary>
    public int ComponentCount { get; private set; }

    /// <summary>Edges (both directions) the SGD samples, known once initialised.</summary>
    public int EdgeCount => _graph?.EdgeCount ?? 0;

    internal PointSet Points => _points;

    /// <summary>Neighbour search, fuzzy graph and spectral initial layout. Call once, before <see cref="RunEpoch"/>.</summary>
    public void Initialize()
    {
        if (IsInitialized)
        {
            throw new InvalidOperationException("UMAP layout is already initialised");
        }
        _clock.Start();
        var knn = ExactNearestNeighbors.Search(_points, _points, NeighborCount, queriesAreReference: true);
        var graph = FuzzySimplicialSet.Build(knn, out _, out _);
        // umap-learn drops the edges too weak to be sampled even once in the run.
        var pruneEpochs = EpochCount > 10 ? EpochCount : new UmapOptions().EpochsFor(_points.Count);
        var maxWeight = graph.MaxWeight;
        _graph = graph.Prune(maxWeight / pruneEpochs);
        ComponentCount = SpectralLayout.ConnectedComponents(_graph).Count;

        var coordinates = SpectralLayout.Compute(_graph, _points, SeedMixer.Mix(Seed, 0, LayoutSalt));
        _embedding = NoisyScale(coordinates, SeedMixer.Mix(Seed, 0, NoiseSalt));
        _snapshot = new float[_embedding.Length];
        var streams = new ulong[_points.Count];
        for (var i = 0; i < streams.Length; i++)
        {
            streams[i] = SeedMixer.Mix(Seed, i, SgdSalt);
        }
        _optimizer = new LayoutOptimizer(_graph.RowStart, _graph.Columns, _graph.Weights, maxWeight, streams, A, B,
            Options.NegativeSampleRate, attraction: 2, sameSpace: true);
    }

    /// <summary>Runs the next SGD epoch.</summary>
    public void RunEpoch()
    {
        if (_optimizer is null || _embedding is null || _snapshot is null)
        {
            throw new InvalidOperationException("call Initialize() before RunEpoch()");
        }
        if (IsComplete)
        {
            throw new InvalidOperationException($"all {EpochCount} epochs have run");
        }
        // umap-learn's schedule: epoch 0 at the full rate, then α·(1 − (n − 1)/epochs) for epoch n.
        var alpha = (float)(Options.LearningRate * (1.0 - Math.Max(0, Epoch - 1) / (double)EpochCount));
        Array.Copy(_embedding, _snapshot, _embedding.Length);
        _optimizer.RunEpoch(Epoch, alpha, _embedding, _snapshot, _points.Count);
        Epoch++;
    }

    /// <summary>Initialises if needed, then runs the remaining epochs, reporting after each step; stops with
    /// <see cref="OperationCanceledException"/> between steps when <paramref name="cancellationToken"/> fires.</summary>
    public IEnumerable<UmapProgress> Run(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!IsInitialized)
        {
            Initialize();
            yield return new UmapProgress(0, EpochCount, _clock.Elapsed);
        }
        while (!IsComplete)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RunEpoch();
            yield return new UmapProgress(Epoch, EpochCount, _clock.Elapsed);
        }
    }

    /// <summary>A copy of the current layout, [N, 2] row-major.</summary>
    public float[] GetEmbedding() => (float[])(_embedding ?? throw new InvalidOperationException("call Initialize() first")).Clone();

    /// <summary>The current layout as a new tensor [N, 2] (the caller disposes it).</summary>
    public Tensor EmbeddingTensor() => torch.tensor(GetEmbedding(), _points.Count, SpectralLayout.Dimensions);

    public void Dispose() => _points.Dispose();

    /// <summary>umap-learn's noisy_scale_coords (largest |coordinate| 10, N(0, 10⁻⁴) noise), then each axis to [0, 10].</summary>
    private static float[] NoisyScale(double[] coordinates, ulong seed)
    {
        const int dims = SpectralLayout.Dimensions;
        var maxAbs = coordinates.Max(Math.Abs);
        var expansion = maxAbs > 0 ? 10 / maxAbs : 1;
        var scaled = new double[coordinates.Length];
        for (var i = 0; i < coordinates.Length; i++)
        {
            // Box–Muller from two uniforms drawn for this coordinate.
            var u1 = 1 - SeedMixer.ToUnit(SeedMixer.Mix(seed, i, 1));
            var u2 = SeedMixer.ToUnit(SeedMixer.Mix(seed, i, 2));
            var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            scaled[i] = (float)(coordinates[i] * expansion) + 1e-4 * normal;
        }
        var result = new float[coordinates.Length];
        for (var d = 0; d < dims; d++)
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (var i = d; i < scaled.Length; i += dims)
            {
                min = Math.Min(min, scaled[i]);
                max = Math.Max(max, scaled[i]);
            }
            var range = max - min;
            for (var i = d; i < scaled.Length; i += dims)
            {
                result[i] = (float)(range > 0 ? 10 * (scaled[i] - min) / range : 5);
            }
        }
        return result;
    }
}
