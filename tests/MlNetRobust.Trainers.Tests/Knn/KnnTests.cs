using System.Globalization;
using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.TestSupport;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Knn;

namespace MlNetRobust.Trainers.Tests.Knn;

public sealed class KnnTests : IDisposable
{
    private static readonly string[] s_classes = ["airplane", "bird", "cat", "dog"];
    private readonly string _dir = Directory.CreateTempSubdirectory("mlnr-knn-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // ---- data ------------------------------------------------------------------------------------------

    internal static float[][] RandomEmbeddings(int seed, int count, int dim)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, dim).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
    }

    internal static int[] RandomLabels(int seed, int count, int classes)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(classes)).ToArray();
    }

    internal static InMemoryDataView View(float[][] embeddings, int[] labels, ScalarType dtype = ScalarType.Float32)
    {
        var dim = embeddings[0].Length;
        var flat = embeddings.SelectMany(e => e).ToArray();
        using var t = torch.tensor(flat, embeddings.Length, dim);
        var schema = new DataViewSchema([(DefaultColumnNames.Embedding, new TensorType(dtype, [dim])), (DefaultColumnNames.Label, new KeyType(s_classes))]);
        return new InMemoryDataView(schema, new() { [DefaultColumnNames.Embedding] = t.to(dtype), [DefaultColumnNames.Label] = labels });
    }

    private static (float[][] Scores, int[] Predicted) Run(ITransformer model, IDataView data)
    {
        var output = model.Transform(data);
        using var batch = output.GetRows(Enumerable.Range(0, (int)data.RowCount).Select(i => (long)i).ToArray());
        var scores = batch.GetTensor(DefaultColumnNames.Score);
        var flat = scores.data<float>();
        var c = (int)scores.size(1);
        return (Enumerable.Range(0, batch.Count).Select(r => flat[(r * c)..((r + 1) * c)]).ToArray(), batch.GetKeys(DefaultColumnNames.PredictedLabel));
    }

    // ---- the brute-force reference ---------------------------------------------------------------------

    /// <summary>
    /// kNN with plain loops in double: every distance, a stable sort (ties by reference index), votes, and
    /// the documented tie-break (the tied class whose nearest member ranks first).
    /// </summary>
    private static (double[] Scores, int Predicted, bool Tied) BruteForce(float[][] refs, int[] labels, float[] query, int k, KnnMetric metric, KnnVote vote)
    {
        double Distance(float[] a, float[] b)
        {
            if (metric == KnnMetric.Euclidean)
            {
                return Math.Sqrt(a.Zip(b).Sum(t => (double)(t.First - t.Second) * (t.First - t.Second)));
            }
            double dot = 0, na = 0, nb = 0;
            for (var i = 0; i < a.Length; i++)
            {
                (dot, na, nb) = (dot + (double)a[i] * b[i], na + (double)a[i] * a[i], nb + (double)b[i] * b[i]);
            }
            return Math.Max(0, 1 - dot / (Math.Sqrt(na) * Math.Sqrt(nb)));
        }

        var order = Enumerable.Range(0, refs.Length).Select(i => (Index: i, Distance: Distance(query, refs[i]))).OrderBy(t => t.Distance).ThenBy(t => t.Index).Take(k).ToList();
        var votes = new double[s_classes.Length];
        var first = Enumerable.Repeat(int.MaxValue, s_classes.Length).ToArray();
        for (var rank = 0; rank < order.Count; rank++)
        {
            var label = labels[order[rank].Index];
            votes[label] += vote == KnnVote.Majority ? 1 : 1 / Math.Max(order[rank].Distance, 1e-6);
            first[label] = Math.Min(first[label], rank);
        }
        var best = votes.Max();
        var tied = Enumerable.Range(0, votes.Length).Where(c => votes[c] == best).ToList();
        var predicted = tied.OrderBy(c => first[c]).First();
        return (votes.Select(v => v / votes.Sum()).ToArray(), predicted, tied.Count > 1);
    }

    public static TheoryData<KnnMetric, KnnVote, int, int?> Settings()
    {
        var data = new TheoryData<KnnMetric, KnnVote, int, int?>();
        foreach (var metric in new[] { KnnMetric.Cosine, KnnMetric.Euclidean })
        {
            foreach (var vote in new[] { KnnVote.Majority, KnnVote.Distance })
            {
                foreach (var k in new[] { 1, 4, 7 })
                {
                    data.Add(metric, vote, k, k == 4 ? 7 : null);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Predictions_and_scores_match_a_brute_force_reference(KnnMetric metric, KnnVote vote, int k, int? chunk)
    {
        var refs = RandomEmbeddings(1, 80, 6);
        var labels = RandomLabels(2, 80, s_classes.Length);
        var queries = RandomEmbeddings(3, 50, 6);
        using var train = View(refs, labels);
        using var test = View(queries, new int[50]);
        using var model = new RobustContext(seed: 1).Trainers.Knn(new KnnOptions { K = k, Metric = metric, Vote = vote, QueryChunkSize = chunk }).Fit(train);
        var (scores, predicted) = Run(model, test);
        var ties = 0;
        for (var q = 0; q < queries.Length; q++)
        {
            var expected = BruteForce(refs, labels, queries[q], k, metric, vote);
            ties += expected.Tied ? 1 : 0;
            Assert.True(expected.Predicted == predicted[q], $"query {q}: expected class {expected.Predicted}, got {predicted[q]} (scores {string.Join(", ", scores[q])})");
            for (var c = 0; c < s_classes.Length; c++)
            {
                Assert.True(Math.Abs(expected.Scores[c] - scores[q][c]) < 1e-5, $"query {q}, class {c}: expected score {expected.Scores[c]}, got {scores[q][c]}");
            }
        }
        if (vote == KnnVote.Majority && k == 4)
        {
            Assert.True(ties > 0, "the example should exercise the tie-break");
        }
    }

    [Fact]
    public void Neighbours_and_distances_match_the_brute_force_order()
    {
        var refs = RandomEmbeddings(4, 40, 5);
        var queries = RandomEmbeddings(5, 9, 5);
        using var train = View(refs, RandomLabels(6, 40, 4));
        foreach (var metric in new[] { KnnMetric.Cosine, KnnMetric.Euclidean })
        {
            using var model = new KnnEstimator(new KnnOptions { K = 5, Metric = metric }).Fit(train);
            using var scope = torch.NewDisposeScope();
            var (indices, distances) = model.FindNeighbors(torch.tensor(queries.SelectMany(q => q).ToArray(), 9, 5));
            Assert.Equal([9L, 5], indices.shape);
            var (idx, dist) = (indices.data<long>(), distances.data<float>());
            for (var q = 0; q < 9; q++)
            {
                var expected = Enumerable.Range(0, 40)
                    .Select(i => (Index: i, Distance: metric == KnnMetric.Euclidean
                        ? Math.Sqrt(refs[i].Zip(queries[q]).Sum(t => (double)(t.First - t.Second) * (t.First - t.Second)))
                        : 1 - Cosine(refs[i], queries[q])))
                    .OrderBy(t => t.Distance).Take(5).ToList();
                Assert.Equal(expected.Select(e => (long)e.Index), idx[(q * 5)..(q * 5 + 5)]);
                for (var j = 0; j < 5; j++)
                {
                    Assert.True(Math.Abs(expected[j].Distance - dist[q * 5 + j]) < 1e-5, $"{metric} query {q} neighbour {j}: {expected[j].Distance} vs {dist[q * 5 + j]}");
                }
            }
        }
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            (dot, na, nb) = (dot + (double)a[i] * b[i], na + (double)a[i] * a[i], nb + (double)b[i] * b[i]);
        }
        return dot / Math.Sqrt(na * nb);
    }

    [Theory]
    [InlineData(KnnMetric.Cosine)]
    [InlineData(KnnMetric.Euclidean)]
    public void K_1_on_the_training_set_is_always_right(KnnMetric metric)
    {
        var refs = RandomEmbeddings(7, 300, 16);
        var labels = RandomLabels(8, 300, 4);
        using var train = View(refs, labels);
        using var model = new RobustContext(seed: 1).Trainers.Knn(k: 1, metric: metric).Fit(train);
        var (scores, predicted) = Run(model, train);
        Assert.Equal(labels, predicted);
        Assert.All(scores.Zip(labels), t => Assert.Equal(1f, t.First[t.Second]));
    }

    [Fact]
    public void Majority_ties_go_to_the_class_of_the_nearest_neighbour_among_the_tied()
    {
        // Points on a line; k = 4. From 0.0 the neighbours are bird(0.1), cat(0.2), bird(0.3), cat(0.4): bird
        // and cat tie 2–2 and bird's nearest member is nearer → bird (sklearn, which takes the lower index,
        // agrees). From 10.0 they are cat(10.1), bird(10.2), cat(10.3), bird(10.4) → cat, where sklearn's rule
        // would give bird.
        float[][] refs = [[0.1f], [0.2f], [0.3f], [0.4f], [10.1f], [10.2f], [10.3f], [10.4f]];
        int[] labels = [1, 2, 1, 2, 2, 1, 2, 1];
        using var train = View(refs, labels);
        using var test = View([[0f], [10f]], [0, 0]);
        using var model = new KnnEstimator(new KnnOptions { K = 4, Metric = KnnMetric.Euclidean }).Fit(train);
        var (scores, predicted) = Run(model, test);
        Assert.Equal([1, 2], predicted);
        Assert.Equal([0f, 0.5f, 0.5f, 0f], scores[0]);
    }

    [Fact]
    public void Distance_vote_lets_an_exact_match_dominate()
    {
        float[][] refs = [[1f, 0f], [0.9f, 0.5f], [0.9f, 0.55f], [5f, 5f]];
        int[] labels = [3, 0, 0, 1];
        using var train = View(refs, labels);
        using var test = View([[1f, 0f]], [0]);
        using var model = new KnnEstimator(new KnnOptions { K = 3, Metric = KnnMetric.Euclidean, Vote = KnnVote.Distance }).Fit(train);
        var (scores, predicted) = Run(model, test);
        Assert.Equal(3, predicted[0]);
        Assert.True(scores[0][3] > 0.9999f, $"exact match's share {scores[0][3]}");
        using var majority = new KnnEstimator(new KnnOptions { K = 3, Metric = KnnMetric.Euclidean }).Fit(train);
        Assert.Equal(0, Run(majority, test).Predicted[0]);
    }

    [Theory]
    [InlineData(KnnMetric.Cosine, KnnVote.Majority)]
    [InlineData(KnnMetric.Euclidean, KnnVote.Distance)]
    public void Saved_model_reloads_with_identical_predictions(KnnMetric metric, KnnVote vote)
    {
        var ctx = new RobustContext(seed: 3);
        using var train = View(RandomEmbeddings(9, 120, 8), RandomLabels(10, 120, 4));
        using var test = View(RandomEmbeddings(11, 40, 8), RandomLabels(12, 40, 4));
        using var model = ctx.Trainers.Knn(k: 5, metric: metric, vote: vote).Fit(train);
        var path = Path.Combine(_dir, "knn.zip");
        ctx.Model.Save(model, train.Schema, path);
        using var loaded = ctx.Model.Load(path);
        var knn = Assert.IsType<KnnTransformer>(loaded.LastTransformer);
        Assert.Equal(model.Options with { QueryChunkSize = null }, knn.Options);
        Assert.Equal(s_classes, knn.Classes);

        var before = Run(model, test);
        var after = Run(loaded, test);
        Assert.Equal(before.Predicted, after.Predicted);
        Assert.Equal(before.Scores.SelectMany(s => s), after.Scores.SelectMany(s => s));
        var entries = ModelZip.ListEntries(path).Select(e => e.Name).ToList();
        Assert.Contains("steps/000-KnnClassifier/options.json", entries);
        Assert.Contains("steps/000-KnnClassifier/references.pt", entries);
        Assert.Equal(s_classes, ModelZip.ReadManifest(path).Classes);
    }

    [PyTorchFact]
    public void The_reference_set_opens_in_pytorch_with_weights_only()
    {
        var refs = RandomEmbeddings(13, 30, 4);
        var labels = RandomLabels(14, 30, 4);
        using var train = View(refs, labels);
        using var model = new KnnEstimator(new KnnOptions()).Fit(train);
        var path = Path.Combine(_dir, "knn.zip");
        ModelZip.Save(model, train.Schema, path);
        var folder = Path.Combine(_dir, "extracted");
        ModelZip.ExtractTo(path, folder);
        const string script = """
            import sys, torch
            sd = torch.load(sys.argv[1], weights_only=True)
            e, l = sd["embeddings"], sd["labels"]
            print(list(sd.keys()), e.dtype, tuple(e.shape), l.dtype, tuple(l.shape))
            print(repr(float(e.double().sum())), int(l.sum()))
            """;
        var output = PythonTorch.Run(script, Path.Combine(folder, "steps", "000-KnnClassifier", "references.pt")).Split('\n');
        Assert.Equal("['embeddings', 'labels'] torch.float32 (30, 4) torch.int64 (30,)", output[0].Trim());
        var sums = output[1].Trim().Split(' ');
        Assert.Equal(refs.SelectMany(r => r).Sum(v => (double)v), double.Parse(sums[0], CultureInfo.InvariantCulture), 9);
        Assert.Equal(labels.Sum(), int.Parse(sums[1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_missing_embedding_column_is_named_with_the_expected_type()
    {
        var schema = new DataViewSchema([("Features", new TensorType(ScalarType.Float32, [8])), (DefaultColumnNames.Label, new KeyType(s_classes))]);
        var e = Assert.Throws<SchemaException>(() => new RobustContext(seed: 1).Trainers.Knn().GetOutputSchema(schema));
        Assert.Contains("KNN: input column 'Embedding' not found; expected a float embedding column (Tensor<float32>[D] or Tensor<float64>[D])", e.Message);
        Assert.Contains("Features: Tensor<float32>[8]", e.Message);
    }

    [Fact]
    public void An_embedding_column_of_the_wrong_type_is_named_with_both_types()
    {
        var images = new DataViewSchema([(DefaultColumnNames.Embedding, new TensorType(ScalarType.Float32, [3, 32, 32])), (DefaultColumnNames.Label, new KeyType(s_classes))]);
        var e = Assert.Throws<SchemaException>(() => new KnnEstimator(new KnnOptions()).GetOutputSchema(images));
        Assert.Equal("KNN: column 'Embedding' is Tensor<float32>[3, 32, 32], expected a float embedding column (Tensor<float32>[D] or Tensor<float64>[D])", e.Message);

        var keys = new DataViewSchema([(DefaultColumnNames.Embedding, new KeyType(s_classes)), (DefaultColumnNames.Label, new KeyType(s_classes))]);
        e = Assert.Throws<SchemaException>(() => new KnnEstimator(new KnnOptions()).GetOutputSchema(keys));
        Assert.Contains("column 'Embedding' is Key<4 classes>, expected a float embedding column", e.Message);

        var ints = new DataViewSchema([(DefaultColumnNames.Embedding, new TensorType(ScalarType.Int64, [8])), (DefaultColumnNames.Label, new KeyType(s_classes))]);
        e = Assert.Throws<SchemaException>(() => new KnnEstimator(new KnnOptions()).GetOutputSchema(ints));
        Assert.Contains("column 'Embedding' is Tensor<int64>[8], expected a float embedding column", e.Message);

        var textLabels = new DataViewSchema([(DefaultColumnNames.Embedding, new TensorType(ScalarType.Float32, [8])), (DefaultColumnNames.Label, TextType.Instance)]);
        e = Assert.Throws<SchemaException>(() => new KnnEstimator(new KnnOptions()).GetOutputSchema(textLabels));
        Assert.Contains("column 'Label' is Text, expected a key (label) column", e.Message);
    }

    [Fact]
    public void Embeddings_of_another_size_are_refused_at_transform()
    {
        using var train = View(RandomEmbeddings(15, 10, 8), RandomLabels(16, 10, 4));
        using var other = View(RandomEmbeddings(17, 10, 6), RandomLabels(18, 10, 4));
        using var model = new KnnEstimator(new KnnOptions()).Fit(train);
        var e = Assert.Throws<SchemaException>(() => model.Transform(other));
        Assert.Contains("column 'Embedding' is Tensor<float32>[6], but the reference embeddings have 8 dimensions", e.Message);
    }

    [Fact]
    public void Float64_embeddings_give_the_same_predictions_as_float32()
    {
        var refs = RandomEmbeddings(19, 60, 8);
        var labels = RandomLabels(20, 60, 4);
        var queries = RandomEmbeddings(21, 20, 8);
        using var train32 = View(refs, labels);
        using var train64 = View(refs, labels, ScalarType.Float64);
        using var test64 = View(queries, new int[20], ScalarType.Float64);
        using var a = new KnnEstimator(new KnnOptions { K = 3 }).Fit(train32);
        using var b = new KnnEstimator(new KnnOptions { K = 3 }).Fit(train64);
        Assert.Equal(Run(a, test64).Predicted, Run(b, test64).Predicted);
    }

    [Fact]
    public void K_larger_than_the_training_set_is_refused()
    {
        using var train = View(RandomEmbeddings(22, 3, 4), [0, 1, 2]);
        var e = Assert.Throws<ArgumentException>(() => new KnnEstimator(new KnnOptions { K = 5 }).Fit(train));
        Assert.Contains("k = 5 but the training data has only 3 rows", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new KnnEstimator(new KnnOptions { K = 0 }));
    }

    [Theory]
    [InlineData(KnnMetric.Cosine)]
    [InlineData(KnnMetric.Euclidean)]
    public void No_queries_give_empty_outputs(KnnMetric metric)
    {
        using var train = View(RandomEmbeddings(25, 10, 4), RandomLabels(26, 10, 4));
        using var model = new KnnEstimator(new KnnOptions { Metric = metric }).Fit(train);
        using var scope = torch.NewDisposeScope();
        var (scores, predicted) = model.Predict(torch.zeros([0, 4]));
        Assert.Equal([0L, 4], scores.shape);
        Assert.Equal([0L], predicted.shape);
        var (indices, distances) = model.FindNeighbors(torch.zeros([0, 4]));
        Assert.Equal([0L, 3], indices.shape);
        Assert.Equal([0L, 3], distances.shape);
    }

    [Fact]
    public void Catalog_defaults_are_k_3_cosine_majority()
    {
        var estimator = new RobustContext(seed: 1).Trainers.Knn();
        Assert.Equal(new KnnOptions { K = 3, Metric = KnnMetric.Cosine, Vote = KnnVote.Majority, EmbeddingColumn = "Embedding", LabelColumn = "Label" }, estimator.Options);
        var schema = new DataViewSchema([(DefaultColumnNames.Embedding, new TensorType(ScalarType.Float32, [8])), (DefaultColumnNames.Label, new KeyType(s_classes))]);
        var output = estimator.GetOutputSchema(schema);
        Assert.Equal("Tensor<float32>[4]", output[DefaultColumnNames.Score].Type.ToString());
        Assert.Equal(s_classes, ((KeyType)output[DefaultColumnNames.PredictedLabel].Type).Names);
    }
}

[Collection(TrainersNativeMemoryCollection.Name)]
public sealed class KnnMemoryTests
{
    [Fact]
    public void Prediction_frees_its_temporaries()
    {
        using var train = KnnTests.View(KnnTests.RandomEmbeddings(23, 50, 8), KnnTests.RandomLabels(24, 50, 4));
        using var model = new KnnEstimator(new KnnOptions { K = 3, Metric = KnnMetric.Euclidean, QueryChunkSize = 4 }).Fit(train);
        using var queries = torch.randn([10, 8], new Generator(1));
        Garbage.CollectNow();
        var before = torch.live_tensor_count;
        var (scores, predicted) = model.Predict(queries);
        Assert.Equal(before + 2, torch.live_tensor_count);
        Assert.Equal([10L, 4], scores.shape);
        Assert.Equal([10L], predicted.shape);
        scores.Dispose();
        predicted.Dispose();
        Assert.Equal(before, torch.live_tensor_count);
    }
}
