using MlNetRobust.Catalogs;
using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Knn;

namespace MlNetRobust.Trainers.Knn
{
    /// <summary>How neighbours are measured.</summary>
    public enum KnnMetric
    {
        /// <summary>Cosine similarity of the L2-normalised embeddings (distance reported as 1 − similarity).</summary>
        Cosine,

        /// <summary>Euclidean (L2) distance.</summary>
        Euclidean,
    }

    /// <summary>How the k neighbours vote.</summary>
    public enum KnnVote
    {
        /// <summary>One vote each; Score is the share of the k votes per class.</summary>
        Majority,

        /// <summary>Each vote weighs 1 / distance (sklearn's weights="distance"); Score is the share of the total weight.</summary>
        Distance,
    }

    /// <summary>Settings of <see cref="KnnEstimator"/>.</summary>
    public sealed record KnnOptions
    {
        public int K { get; init; } = KnnEstimator.Defaults.K;

        public KnnMetric Metric { get; init; } = KnnEstimator.Defaults.Metric;

        public KnnVote Vote { get; init; } = KnnEstimator.Defaults.Vote;

        /// <summary>The float embeddings [D] (ImageModelTransformer's output).</summary>
        public string EmbeddingColumn { get; init; } = DefaultColumnNames.Embedding;

        /// <summary>The key column the reference labels are read from when fitting.</summary>
        public string LabelColumn { get; init; } = DefaultColumnNames.Label;

        public string ScoreColumn { get; init; } = DefaultColumnNames.Score;

        public string PredictedLabelColumn { get; init; } = DefaultColumnNames.PredictedLabel;

        /// <summary>
        /// Query rows per similarity block; null sizes blocks to about <see cref="KnnEstimator.Defaults.BlockElements"/>
        /// scores (128 MB of float32), whatever the reference count.
        /// </summary>
        public int? QueryChunkSize { get; init; }
    }

    /// <summary>
    /// k-nearest-neighbour classification of embeddings — Cover, Hart: "Nearest Neighbor Pattern
    /// Classification", IEEE Trans. Inf. Theory 1967, https://doi.org/10.1109/TIT.1967.1053964 — the usual
    /// head on a metric-learning model.
    ///
    /// Fit stores the reference set: the training embeddings [M, D] (float32) and their labels [M]. The
    /// transformer adds <c>Score</c> (float32 [C]: vote shares per class, summing to 1) and
    /// <c>PredictedLabel</c> (a key with the training label's class names).
    /// Search is exact and batched through libtorch: queries go in blocks of rows; for cosine, similarity =
    /// Q̂·M̂ᵀ of the normalised vectors; for euclidean, q·m − ‖m‖²/2 ranks the references (as one product of
    /// [q, 1] with the stored [m, −‖m‖²/2]; ‖q‖² is the same for a whole row), then topk picks k per query and
    /// the k distances are recomputed directly (the expansion loses precision near 0). Neighbours are ordered
    /// nearest first.
    /// Votes: majority (one each) or distance (1 / max(d, 1e-6), so references at numerically zero distance
    /// dominate as in sklearn). Ties between classes — equal counts, or exactly equal weights — go to the
    /// tied class whose nearest member is nearest, i.e. the class of the nearest neighbour among them
    /// (sklearn picks the smallest class index instead). References at exactly the same distance as the
    /// k-th are chosen by topk (unspecified order).
    /// Arguments: k = 3, metric = cosine, vote = majority, columns Embedding / Label → Score / PredictedLabel.
    /// Shapes: Embedding [N, D] float → Score [N, C] float32, PredictedLabel [N] key.
    /// Example: <c>var knn = ctx.Trainers.Knn(k: 5, metric: KnnMetric.Euclidean).Fit(trainEmbeddings);</c>
    /// </summary>
    public sealed class KnnEstimator(KnnOptions options) : IEstimator<KnnTransformer>
    {
        public static class Defaults
        {
            public const int K = 3;
            public const KnnMetric Metric = KnnMetric.Cosine;
            public const KnnVote Vote = KnnVote.Majority;

            /// <summary>Scores per similarity block (32 M float32 = 128 MB).</summary>
            public const long BlockElements = 1L << 25;

            /// <summary>Rows read per batch while collecting the reference set.</summary>
            public const int FitBatchSize = 4096;
        }

        public KnnOptions Options { get; } = Validate(options);

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
        {
            KnnTransformer.CheckEmbeddingColumn(inputSchema, Options.EmbeddingColumn, expectedDimension: null);
            var labels = inputSchema.Require<KeyType>(Options.LabelColumn, nameof(KnnEstimator), "a key (label) column");
            return KnnTransformer.OutputSchema(inputSchema, Options, labels.Names);
        }

        public KnnTransformer Fit(IDataView input)
        {
            GetOutputSchema(input.Schema);
            var classes = ((KeyType)input.Schema[Options.LabelColumn].Type).Names;
            if (input.RowCount < Options.K)
            {
                throw new ArgumentException($"{nameof(KnnEstimator)}: k = {Options.K} but the training data has only {input.RowCount} rows", nameof(input));
            }
            var parts = new List<Tensor>();
            var labels = new List<long>((int)input.RowCount);
            try
            {
                using (torch.no_grad())
                {
                    foreach (var batch in input.GetBatches(Defaults.FitBatchSize))
                    {
                        using (batch)
                        {
                            var e = batch.GetTensor(Options.EmbeddingColumn);
                            parts.Add((e.dtype == ScalarType.Float32 ? e.clone() : e.to(ScalarType.Float32)).DetachFromDisposeScope());
                            labels.AddRange(batch.GetKeys(Options.LabelColumn).Select(k => (long)k));
                        }
                    }
                }
                var embeddings = torch.cat(parts).DetachFromDisposeScope();
                var labelTensor = torch.tensor(labels.ToArray()).DetachFromDisposeScope();
                return new KnnTransformer(Options, embeddings, labelTensor, classes);
            }
            finally
            {
                foreach (var p in parts)
                {
                    p.Dispose();
                }
            }
        }

        private static KnnOptions Validate(KnnOptions options)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(options.K, 1, nameof(options.K));
            if (options.QueryChunkSize is { } chunk)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(chunk, 1, nameof(options.QueryChunkSize));
            }
            if (!Enum.IsDefined(options.Metric) || !Enum.IsDefined(options.Vote))
            {
                throw new ArgumentException($"unknown KNN metric {options.Metric} or vote {options.Vote}", nameof(options));
            }
            return options;
        }
    }

    /// <summary>
    /// The fitted KNN classifier: the reference set and the search. Owns its tensors (dispose it).
    ///
    /// Stored layout (version 1): options.json — k, metric, vote, the four column names, the class names,
    /// dimension and reference_count; references.pt — a torch.save state dict with "embeddings" (float32
    /// [M, D], as given to Fit, not normalised) and "labels" (int64 [M], indices into the class names).
    /// </summary>
    [TransformerLoader(KindName)]
    public sealed class KnnTransformer : BatchTransformer, IPersistentTransformer, IDisposable
    {
        public const string KindName = "KnnClassifier";

        private const double DistanceFloor = 1e-6;

        private readonly Tensor _embeddings;   // [M, D] float32, as fitted
        private readonly Tensor _labels;       // [M] int64
        private readonly Tensor _searchSet;    // cosine: normalised embeddings [M, D]; euclidean: [m, −‖m‖²/2] [M, D + 1]

        internal KnnTransformer(KnnOptions options, Tensor embeddings, Tensor labels, IReadOnlyList<string> classes)
        {
            Options = options;
            Classes = classes;
            _embeddings = embeddings;
            _labels = labels;
            ReferenceCount = embeddings.size(0);
            Dimension = embeddings.size(1);
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            _searchSet = (options.Metric == KnnMetric.Cosine
                ? torch.nn.functional.normalize(embeddings, 2, 1)
                : torch.cat([embeddings, embeddings.square().sum(1, keepdim: true).mul(-0.5)], 1)).DetachFromDisposeScope();
        }

        public KnnOptions Options { get; }

        /// <summary>The class names, in label order (from the training label column).</summary>
        public IReadOnlyList<string> Classes { get; }

        /// <summary>M, the number of stored training embeddings.</summary>
        public long ReferenceCount { get; }

        /// <summary>D, the embedding size.</summary>
        public long Dimension { get; }

        public string Kind => KindName;

        public int FormatVersion => 1;

        /// <summary>The reference labels [M] (int64) as a new tensor.</summary>
        public Tensor ReferenceLabels() => _labels.clone();

        public override DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
        {
            CheckEmbeddingColumn(inputSchema, Options.EmbeddingColumn, Dimension);
            return OutputSchema(inputSchema, Options, Classes);
        }

        internal static DataViewSchema OutputSchema(DataViewSchema inputSchema, KnnOptions options, IReadOnlyList<string> classes) =>
            inputSchema.With(options.ScoreColumn, new TensorType(ScalarType.Float32, [classes.Count]))
                .With(options.PredictedLabelColumn, new KeyType(classes));

        internal static void CheckEmbeddingColumn(DataViewSchema schema, string column, long? expectedDimension)
        {
            const string expected = "a float embedding column (Tensor<float32>[D] or Tensor<float64>[D])";
            var type = schema.Require<TensorType>(column, "KNN", expected);
            if (!type.DType.IsFloatingPoint() || type.ItemShape.Count != 1)
            {
                throw new SchemaException($"KNN: column '{column}' is {type}, expected {expected}");
            }
            if (expectedDimension is { } d && type.ItemShape[0] != d)
            {
                throw new SchemaException($"KNN: column '{column}' is {type}, but the reference embeddings have {d} dimensions (Tensor<float32>[{d}])");
            }
        }

        public override DataBatch MapBatch(DataBatch input)
        {
            var (scores, predicted) = Predict(input.GetTensor(Options.EmbeddingColumn));
            using (predicted)
            {
                var keys = predicted.to(ScalarType.Int32).data<int>();
                return input.With(Options.ScoreColumn, new TensorType(ScalarType.Float32, [Classes.Count]), scores)
                    .With(Options.PredictedLabelColumn, new KeyType(Classes), keys);
            }
        }

        /// <summary>
        /// The k nearest references of each query [N, D]: their row indices [N, k] (int64) and distances [N, k]
        /// (float32; 1 − cosine similarity for cosine, L2 for euclidean), nearest first.
        /// </summary>
        public (Tensor Indices, Tensor Distances) FindNeighbors(Tensor queries)
        {
            var q = CheckQueries(queries);
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            var rows = q.size(0);
            var chunk = Options.QueryChunkSize ?? (int)Math.Clamp(KnnEstimator.Defaults.BlockElements / Math.Max(1, ReferenceCount), 1, int.MaxValue);
            var indices = new List<Tensor>();
            var distances = new List<Tensor>();
            for (long start = 0; start < rows; start += chunk)
            {
                using var block = torch.NewDisposeScope();
                var (i, d) = SearchBlock(q.narrow(0, start, Math.Min(chunk, rows - start)));
                indices.Add(i.MoveToOuterDisposeScope());
                distances.Add(d.MoveToOuterDisposeScope());
            }
            if (rows == 0)
            {
                return (torch.zeros([0, Options.K], ScalarType.Int64).MoveToOuterDisposeScope(), torch.zeros([0, Options.K]).MoveToOuterDisposeScope());
            }
            return (torch.cat(indices).MoveToOuterDisposeScope(), torch.cat(distances).MoveToOuterDisposeScope());
        }

        /// <summary>Vote shares [N, C] (float32) and predicted classes [N] (int64) for queries [N, D].</summary>
        public (Tensor Scores, Tensor Predicted) Predict(Tensor queries)
        {
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            var (indices, distances) = FindNeighbors(queries);
            var (n, k, c) = (indices.size(0), Options.K, (long)Classes.Count);
            var neighbourLabels = _labels.index_select(0, indices.flatten()).view(n, k);
            var oneHot = torch.nn.functional.one_hot(neighbourLabels, c).to(ScalarType.Float32);      // [N, k, C]
            var weights = Options.Vote == KnnVote.Majority
                ? torch.ones([n, k])
                : distances.clamp_min(DistanceFloor).reciprocal();
            var votes = oneHot.mul(weights.unsqueeze(2)).sum(1);                                        // [N, C]
            var scores = votes.div(votes.sum(1, keepdim: true));
            // Tie-break: among the classes with the most votes, the one whose nearest member ranks first.
            // (k − rank of a class's first neighbour) is largest for the earliest class, 0 for absent ones.
            var earliness = oneHot.mul(torch.arange(k, 0, -1, ScalarType.Float32).view(1, k, 1)).max(1).values;
            var best = votes.max(1, keepdim: true).values;
            var predicted = torch.where(votes.eq(best), earliness, torch.full_like(earliness, -1)).argmax(1);
            return (scores.MoveToOuterDisposeScope(), predicted.MoveToOuterDisposeScope());
        }

        private Tensor CheckQueries(Tensor queries)
        {
            if (queries.ndim != 2 || queries.size(1) != Dimension || !queries.dtype.IsFloatingPoint())
            {
                throw new ArgumentException($"KNN: queries must be float embeddings [N, {Dimension}], got {queries.Describe()}", nameof(queries));
            }
            return queries;
        }

        // One block of queries [B, D] → (indices [B, k], distances [B, k]), nearest first. Runs in the caller's scope.
        private (Tensor Indices, Tensor Distances) SearchBlock(Tensor queries)
        {
            var q = queries.dtype == ScalarType.Float32 ? queries : queries.to(ScalarType.Float32);
            var k = Options.K;
            if (Options.Metric == KnnMetric.Cosine)
            {
                var similarity = torch.nn.functional.normalize(q, 2, 1).mm(_searchSet.t());               // [B, M]
                var (values, indices) = similarity.topk(k, 1, largest: true, sorted: true);
                return (indices, values.neg().add(1).clamp_min(0));
            }
            // ‖q − m‖² = ‖q‖² − 2 (q·m − ‖m‖²/2), and ‖q‖² is the same along a row: the nearest references
            // have the largest [q, 1]·[m, −‖m‖²/2], which one matrix product gives with no extra pass.
            var augmented = torch.cat([q, torch.ones([q.size(0), 1])], 1);
            var (_, nearest) = augmented.mm(_searchSet.t()).topk(k, 1, largest: true, sorted: true);   // [B, k]
            var neighbours = _embeddings.index_select(0, nearest.flatten()).view(q.size(0), k, Dimension);
            var exact = neighbours.sub(q.unsqueeze(1)).norm(2, 2);                                      // [B, k]
            // Re-sort by the exact distances, so "nearest" never depends on the expansion's rounding.
            var (sorted, order) = exact.sort(1, descending: false, stable: true);
            return (nearest.gather(1, order), sorted);
        }

        public sealed record StoredOptions(int K, KnnMetric Metric, KnnVote Vote, string EmbeddingColumn, string LabelColumn,
            string ScoreColumn, string PredictedLabelColumn, IReadOnlyList<string> Classes, long Dimension, long ReferenceCount);

        public void Save(ModelSaveContext context)
        {
            var o = Options;
            context.WriteJson("options.json", new StoredOptions(o.K, o.Metric, o.Vote, o.EmbeddingColumn, o.LabelColumn, o.ScoreColumn,
                o.PredictedLabelColumn, Classes, Dimension, ReferenceCount));
            context.WriteStateDict("references.pt", [KeyValuePair.Create("embeddings", _embeddings), KeyValuePair.Create("labels", _labels)]);
        }

        public static ITransformer Load(ModelLoadContext context)
        {
            var s = context.ReadJson<StoredOptions>("options.json");
            var state = context.ReadStateDict("references.pt");
            try
            {
                if (!state.TryGetValue("embeddings", out var embeddings) || !state.TryGetValue("labels", out var labels))
                {
                    throw new InvalidDataException($"{context.ModelPath}: {context.Folder}/references.pt needs 'embeddings' and 'labels', has {string.Join(", ", state.Keys)}");
                }
                if (embeddings.dtype != ScalarType.Float32 || embeddings.ndim != 2 || embeddings.size(0) != s.ReferenceCount || embeddings.size(1) != s.Dimension
                    || labels.dtype != ScalarType.Int64 || labels.ndim != 1 || labels.size(0) != s.ReferenceCount)
                {
                    throw new InvalidDataException($"{context.ModelPath}: {context.Folder}/references.pt holds embeddings {embeddings.Describe()} and labels {labels.Describe()}; "
                        + $"options.json says float32[{s.ReferenceCount}, {s.Dimension}] and int64[{s.ReferenceCount}]");
                }
                if (s.ReferenceCount > 0 && (labels.min().item<long>() < 0 || labels.max().item<long>() >= s.Classes.Count))
                {
                    throw new InvalidDataException($"{context.ModelPath}: {context.Folder}/references.pt has labels outside 0..{s.Classes.Count - 1}");
                }
                var options = new KnnOptions
                {
                    K = s.K,
                    Metric = s.Metric,
                    Vote = s.Vote,
                    EmbeddingColumn = s.EmbeddingColumn,
                    LabelColumn = s.LabelColumn,
                    ScoreColumn = s.ScoreColumn,
                    PredictedLabelColumn = s.PredictedLabelColumn,
                };
                state.Remove("embeddings");
                state.Remove("labels");
                return new KnnTransformer(options, embeddings, labels, s.Classes);
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
            _searchSet.Dispose();
            _embeddings.Dispose();
            _labels.Dispose();
        }

        public override string ToString() => $"KNN (k = {Options.K}, {Options.Metric}, {Options.Vote} vote) over {ReferenceCount} references of dimension {Dimension}, {Classes.Count} classes";
    }
}

namespace MlNetRobust
{
    /// <summary><c>ctx.Trainers.Knn(…)</c>.</summary>
    public static class KnnCatalog
    {
        /// <summary>
        /// A k-nearest-neighbour classifier over an embedding column: fitting stores the embeddings and labels,
        /// the transformer adds Score (vote shares per class) and PredictedLabel.
        /// </summary>
        public static KnnEstimator Knn(this TrainersCatalog catalog, int k = KnnEstimator.Defaults.K,
            KnnMetric metric = KnnEstimator.Defaults.Metric, KnnVote vote = KnnEstimator.Defaults.Vote,
            string embeddingColumn = DefaultColumnNames.Embedding, string labelColumn = DefaultColumnNames.Label) =>
            catalog.Knn(new KnnOptions { K = k, Metric = metric, Vote = vote, EmbeddingColumn = embeddingColumn, LabelColumn = labelColumn });

        /// <summary>A k-nearest-neighbour classifier with all settings (output column names, query block size).</summary>
        public static KnnEstimator Knn(this TrainersCatalog catalog, KnnOptions options)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            return new KnnEstimator(options);
        }
    }
}
