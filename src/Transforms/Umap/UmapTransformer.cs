using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Umap;

/// <summary>
/// A fitted UMAP: maps embeddings into the 2-D map learnt on the training set, as umap-learn's
/// <c>UMAP.transform</c>. For each new point: its k nearest training points, memberships by smooth-kNN with
/// local connectivity 0 (ρ = 0), a start at the membership-weighted mean of those neighbours' map positions,
/// then SGD epochs at a quarter of the learning rate with the training map fixed (attraction to the
/// neighbours, repulsion from random training points). A point that coincides with a training point takes
/// that point's map position, so transforming the training set returns the fitted map (umap-learn returns
/// <c>embedding_</c> for its training data). Points are mapped independently, with randomness drawn from
/// (seed, row id), so a result does not depend on the batch it was computed in.
///
/// Departures from umap-learn that keep results batch-independent: the transform's epoch count does not depend
/// on how many points are mapped (see <see cref="UmapOptions.TransformEpochs"/>), and edges are scheduled
/// against the largest possible membership, 1, instead of the batch's largest.
///
/// Stored layout (version 1): options.json {layout_version, input_column, output_column, n_neighbors, min_dist,
/// spread, metric, epochs, transform_epochs, negative_sample_rate, learning_rate, seed, a, b, neighbor_count,
/// training_rows, input_dimension}; state.pt (torch.save, opens with torch.load): "training_embeddings" [N, D]
/// float32 as given to Fit, "training_map" [N, 2] float32. Loading refuses a newer layout version.
/// </summary>
[TransformerLoader(KindName)]
public sealed class UmapTransformer : BatchTransformer, IPersistentTransformer, IDisposable
{
    public const string KindName = "ProjectToUmap";
    public const int LayoutVersion = 1;
    private const ulong TransformSalt = 0x554D41505F545246UL;   // "UMAP_TRF"

    private readonly Tensor _trainingEmbeddings;
    private readonly PointSet _training;
    private readonly float[] _map;

    /// <param name="trainingEmbeddings">[N, D], taken over (disposed with this transformer).</param>
    /// <param name="trainingMap">[N, 2], taken over.</param>
    public UmapTransformer(string inputColumn, string outputColumn, UmapOptions options, ulong seed, double a, double b, int neighborCount,
        Tensor trainingEmbeddings, Tensor trainingMap)
    {
        options.Validate();
        if (trainingEmbeddings.ndim != 2 || trainingMap.ndim != 2 || trainingMap.size(1) != SpectralLayout.Dimensions
            || trainingMap.size(0) != trainingEmbeddings.size(0))
        {
            throw new ArgumentException($"UMAP state mismatch: embeddings {trainingEmbeddings.Describe()}, map {trainingMap.Describe()}");
        }
        if (neighborCount < 1 || neighborCount > trainingEmbeddings.size(0))
        {
            throw new ArgumentOutOfRangeException(nameof(neighborCount), neighborCount, $"must be in 1..{trainingEmbeddings.size(0)}");
        }
        (InputColumn, OutputColumn, Options, Seed, A, B, NeighborCount) = (inputColumn, outputColumn, options, seed, a, b, neighborCount);
        _trainingEmbeddings = trainingEmbeddings.DetachFromDisposeScope();
        TrainingMap = trainingMap.DetachFromDisposeScope();
        _training = PointSet.Create(trainingEmbeddings, options.Metric);
        using var map = trainingMap.to(ScalarType.Float32);
        _map = map.data<float>();
    }

    public string InputColumn { get; }

    public string OutputColumn { get; }

    public UmapOptions Options { get; }

    public ulong Seed { get; }

    public double A { get; }

    public double B { get; }

    public int NeighborCount { get; }

    /// <summary>The fitted map of the training points, [N, 2], in training row order (owned by this transformer).</summary>
    public Tensor TrainingMap { get; }

    public int TrainingRows => _training.Count;

    public int InputDimension => _training.Dimension;

    public string Kind => KindName;

    public int FormatVersion => LayoutVersion;

    public override DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var type = inputSchema.Require<TensorType>(InputColumn, "ProjectToUmap", $"float embeddings [{InputDimension}]");
        if (type.ItemShape.Count != 1 || type.ItemShape[0] != InputDimension || type.DType is not (ScalarType.Float32 or ScalarType.Float64))
        {
            throw new SchemaException($"ProjectToUmap: column '{InputColumn}' is {type}, expected float embeddings [{InputDimension}] like the training set's");
        }
        return inputSchema.With(OutputColumn, OutputType);
    }

    internal static TensorType OutputType => new(ScalarType.Float32, [SpectralLayout.Dimensions]);

    public override DataBatch MapBatch(DataBatch input)
    {
        var positions = Map(input.GetTensor(InputColumn), input.RowIds);
        return input.With(OutputColumn, OutputType, torch.tensor(positions, input.Count, SpectralLayout.Dimensions));
    }

    /// <summary>Maps embeddings [B, D] whose rows have the given ids (the source of their randomness); returns [B, 2] row-major.</summary>
    public float[] Map(Tensor embeddings, IReadOnlyList<long> rowIds)
    {
        const int dims = SpectralLayout.Dimensions;
        using var queries = PointSet.Create(embeddings, Options.Metric);
        if (queries.Dimension != InputDimension || rowIds.Count != queries.Count)
        {
            throw new ArgumentException($"expected [{rowIds.Count}, {InputDimension}] embeddings, got {embeddings.Describe()}", nameof(embeddings));
        }
        var rows = queries.Count;
        var k = NeighborCount;
        var knn = ExactNearestNeighbors.Search(_training, queries, k);
        var (sigma, rho) = FuzzySimplicialSet.SmoothKnnDistances(knn, localConnectivity: 0);
        var strengths = FuzzySimplicialSet.MembershipStrengths(knn, sigma, rho, bipartite: true);

        var epochs = Options.TransformEpochsResolved;
        var threshold = epochs > 0 ? 1f / epochs : float.PositiveInfinity;
        var positions = new float[rows * dims];
        var rowStart = new int[rows + 1];
        var tails = new List<int>(rows * k);
        var weights = new List<float>(rows * k);
        var streams = new ulong[rows];
        for (var q = 0; q < rows; q++)
        {
            streams[q] = SeedMixer.Mix(Seed, rowIds[q], TransformSalt);
            var nearest = knn.Indices[q * k];
            if (knn.Distances[q * k] == 0)
            {
                // The training point itself (or a copy): keep its fitted position.
                positions[q * dims] = _map[nearest * dims];
                positions[q * dims + 1] = _map[nearest * dims + 1];
                rowStart[q + 1] = tails.Count;
                continue;
            }
            double total = 0, x = 0, y = 0;
            for (var j = 0; j < k; j++)
            {
                var (index, w) = (knn.Indices[q * k + j], strengths[q * k + j]);
                total += w;
                x += w * _map[index * dims];
                y += w * _map[index * dims + 1];
                if (w >= threshold)
                {
                    tails.Add(index);
                    weights.Add(w);
                }
            }
            (positions[q * dims], positions[q * dims + 1]) = total > 0
                ? ((float)(x / total), (float)(y / total))
                : (_map[nearest * dims], _map[nearest * dims + 1]);   // all memberships underflowed: start at the nearest
            rowStart[q + 1] = tails.Count;
        }
        if (epochs > 0 && tails.Count > 0)
        {
            var optimizer = new LayoutOptimizer(rowStart, [.. tails], [.. weights], maxWeight: 1.0, streams, A, B,
                Options.NegativeSampleRate, attraction: 1, sameSpace: false);
            var initial = Options.LearningRate / 4;
            for (var epoch = 0; epoch < epochs; epoch++)
            {
                var alpha = (float)(initial * (1.0 - Math.Max(0, epoch - 1) / (double)epochs));
                optimizer.RunEpoch(epoch, alpha, positions, _map, TrainingRows);
            }
        }
        return positions;
    }

    public sealed record StoredOptions(int LayoutVersion, string InputColumn, string OutputColumn, int NNeighbors, double MinDist, double Spread,
        UmapMetric Metric, int? Epochs, int? TransformEpochs, int NegativeSampleRate, double LearningRate, ulong Seed, double A, double B,
        int NeighborCount, int TrainingRows, int InputDimension);

    public void Save(ModelSaveContext context)
    {
        var o = Options;
        context.WriteJson("options.json", new StoredOptions(LayoutVersion, InputColumn, OutputColumn, o.NNeighbors, o.MinDist, o.Spread, o.Metric,
            o.Epochs, o.TransformEpochs, o.NegativeSampleRate, o.LearningRate, Seed, A, B, NeighborCount, TrainingRows, InputDimension));
        context.WriteStateDict("state.pt", [KeyValuePair.Create("training_embeddings", _trainingEmbeddings), KeyValuePair.Create("training_map", TrainingMap)]);
    }

    public static ITransformer Load(ModelLoadContext context)
    {
        var s = context.ReadJson<StoredOptions>("options.json");
        if (s.LayoutVersion > LayoutVersion || context.FormatVersion > LayoutVersion)
        {
            throw new InvalidDataException($"{context.ModelPath}: UMAP step layout version {Math.Max(s.LayoutVersion, context.FormatVersion)} is newer than this build reads ({LayoutVersion})");
        }
        var state = context.ReadStateDict("state.pt");
        try
        {
            if (!state.TryGetValue("training_embeddings", out var embeddings) || !state.TryGetValue("training_map", out var map))
            {
                throw new InvalidDataException($"{context.ModelPath}: '{context.Folder}/state.pt' lacks training_embeddings or training_map (has: {string.Join(", ", state.Keys)})");
            }
            if (embeddings.size(0) != s.TrainingRows || embeddings.size(1) != s.InputDimension)
            {
                throw new InvalidDataException($"{context.ModelPath}: training_embeddings is {embeddings.Describe()}, options say [{s.TrainingRows}, {s.InputDimension}]");
            }
            var options = new UmapOptions
            {
                NNeighbors = s.NNeighbors,
                MinDist = s.MinDist,
                Spread = s.Spread,
                Metric = s.Metric,
                Epochs = s.Epochs,
                TransformEpochs = s.TransformEpochs,
                NegativeSampleRate = s.NegativeSampleRate,
                LearningRate = s.LearningRate,
            };
            var transformer = new UmapTransformer(s.InputColumn, s.OutputColumn, options, s.Seed, s.A, s.B, s.NeighborCount, embeddings, map);
            state.Remove("training_embeddings");   // now owned by the transformer
            state.Remove("training_map");
            return transformer;
        }
        finally
        {
            foreach (var t in state.Values)
            {
                t.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _training.Dispose();
        _trainingEmbeddings.Dispose();
        TrainingMap.Dispose();
    }

    public override string ToString() => $"UMAP {InputColumn} [{InputDimension}] → {OutputColumn} [2], {TrainingRows} training points, k = {NeighborCount}, {Options.Metric}";
}
