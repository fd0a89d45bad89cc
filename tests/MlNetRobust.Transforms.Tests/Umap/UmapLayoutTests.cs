using MlNetRobust.Data;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Umap;

namespace MlNetRobust.Transforms.Tests.Umap;

public sealed class UmapLayoutTests
{
    private static readonly UmapOptions s_quick = new() { Epochs = 60 };

    private static float[] Fit(Tensor points, ulong seed, UmapOptions? options = null)
    {
        using var layout = new UmapLayout(points, options ?? s_quick, seed);
        foreach (var _ in layout.Run())
        {
        }
        return layout.GetEmbedding();
    }

    [Fact]
    public void Same_seed_gives_the_same_map_and_another_seed_a_different_one()
    {
        var (train, _, test, _) = UmapTestData.Clusters(400, 1, seed: 1, centreScale: 0.6);
        using (train)
        using (test)
        {
            var first = Fit(train, seed: 9);
            var second = Fit(train, seed: 9);
            var other = Fit(train, seed: 10);

            Assert.Equal(first, second);
            Assert.NotEqual(first, other);
        }
    }

    [Fact]
    public void The_map_does_not_depend_on_the_number_of_threads()
    {
        var (train, _, test, _) = UmapTestData.Clusters(400, 1, seed: 2, centreScale: 0.6);
        using (train)
        using (test)
        {
            var parallel = Fit(train, seed: 4);
            float[] serial;
            LayoutOptimizer.MaxThreads = 1;
            try
            {
                serial = Fit(train, seed: 4);
            }
            finally
            {
                LayoutOptimizer.MaxThreads = null;
            }

            Assert.Equal(parallel, serial);
        }
    }

    [Fact]
    public void Well_separated_clusters_are_laid_out_apart()
    {
        // Far-apart clusters give one graph component each: the multi-component initialisation path.
        var (train, labels, test, _) = UmapTestData.Clusters(600, 1, seed: 5, centreScale: 3.0);
        using (train)
        using (test)
        {
            using var layout = new UmapLayout(train, new UmapOptions { Epochs = 100 }, seed: 1);
            layout.Initialize();
            Assert.Equal(10, layout.ComponentCount);
            foreach (var _ in layout.Run())
            {
            }
            using var map = layout.EmbeddingTensor();

            Assert.Equal(1.0, UmapTestData.KnnAccuracy(map, labels, 15));
            Assert.True(Trustworthiness.Compute(train, map, 15) > 0.95);
        }
    }

    [Fact]
    public void Progress_is_reported_after_initialisation_and_every_epoch_and_cancellation_stops_between_epochs()
    {
        var (train, _, test, _) = UmapTestData.Clusters(200, 1, seed: 6, centreScale: 0.6);
        using (train)
        using (test)
        {
            using var layout = new UmapLayout(train, new UmapOptions { Epochs = 20 }, seed: 1);
            using var cancel = new CancellationTokenSource();
            var seen = new List<UmapProgress>();

            Assert.Throws<OperationCanceledException>(() =>
            {
                foreach (var p in layout.Run(cancel.Token))
                {
                    seen.Add(p);
                    if (p.Epoch == 5)
                    {
                        cancel.Cancel();
                    }
                }
            });

            Assert.Equal(Enumerable.Range(0, 6), seen.Select(p => p.Epoch));
            Assert.All(seen, p => Assert.Equal(20, p.EpochCount));
            Assert.Equal(5, layout.Epoch);
            foreach (var _ in layout.Run())
            {
            }
            Assert.True(layout.IsComplete);
            Assert.Equal(20, layout.Epoch);
        }
    }

    [Fact]
    public void Epoch_defaults_follow_umap_learn()
    {
        Assert.Equal(500, new UmapOptions().EpochsFor(10_000));
        Assert.Equal(200, new UmapOptions().EpochsFor(10_001));
        Assert.Equal(100, new UmapOptions().TransformEpochsResolved);
        Assert.Equal(20, new UmapOptions { Epochs = 60 }.TransformEpochsResolved);
    }

    [Fact]
    public void Estimator_names_the_column_when_it_is_not_a_vector()
    {
        var ctx = new RobustContext(seed: 1);
        var schema = new DataViewSchema([(DefaultColumnNames.Embedding, new TensorType(ScalarType.Float32, [3, 8, 8]))]);

        var error = Assert.Throws<SchemaException>(() => ctx.Transforms.ProjectToUmap().GetOutputSchema(schema));

        Assert.Contains("'Embedding'", error.Message);
        Assert.Throws<SchemaException>(() => ctx.Transforms.ProjectToUmap(inputColumn: "Missing").GetOutputSchema(schema));
    }

    [Fact]
    public void Bad_options_are_refused_with_their_name()
    {
        var ctx = new RobustContext(seed: 1);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ctx.Transforms.ProjectToUmap(nNeighbors: 1));

        Assert.Contains("NNeighbors", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ctx.Transforms.ProjectToUmap(minDist: 2, spread: 1));
    }
}
