using MlNetRobust.Data;
using MlNetRobust.Transforms.Sampling;

namespace MlNetRobust.Transforms.Tests.Splits;

public sealed class SamplerTests
{
    [Fact]
    public void Balanced_class_weights_are_n_samples_over_n_classes_times_count()
    {
        using var data = LabelledRows.Create([6, 3, 1, 0]);
        var weights = new RobustContext(seed: 0).Data.ComputeClassWeights(data);
        // n = 10 rows, 3 classes with rows: 10/(3·6), 10/(3·3), 10/(3·1); the empty class weighs 0.
        Assert.Equal([6L, 3L, 1L, 0L], weights.Counts);
        Assert.Equal(10.0 / 18, weights[0], 12);
        Assert.Equal(10.0 / 9, weights[1], 12);
        Assert.Equal(10.0 / 3, weights[2], 12);
        Assert.Equal(0.0, weights[3]);
        using var t = weights.ToTensor();
        Assert.Equal(weights.Weights.Select(w => (float)w), t.data<float>());
    }

    [Fact]
    public void Weighted_sampler_draws_each_class_in_proportion_to_weight_times_count()
    {
        int[] counts = [500, 100, 20];
        using var data = LabelledRows.Create(counts);
        var labels = data.ReadKeys();
        double[] weights = [1, 2, 10];
        var index = ClassIndex.FromView(data);
        var sampler = new WeightedRandomSampler(index, weights, batchSize: 256, samplesPerEpoch: 200_000, seed: 11);
        var perClass = new double[3];
        var perRow = new int[labels.Length];
        var batches = sampler.GetBatches(0).ToList();
        Assert.Equal(sampler.BatchesPerEpoch, batches.Count);
        foreach (var id in batches.SelectMany(b => b))
        {
            perClass[labels[id]]++;
            perRow[id]++;
        }
        var mass = counts.Select((n, c) => n * weights[c]).ToArray();
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(mass[c] / mass.Sum(), perClass[c] / 200_000, 2);
        }
        // Within a class every row is equally likely: a class-2 row is expected 200000·10/900 ≈ 2222 times.
        var class2 = Enumerable.Range(0, labels.Length).Where(r => labels[r] == 2).Select(r => perRow[r]).ToArray();
        Assert.All(class2, n => Assert.InRange(n, 2222 * 0.85, 2222 * 1.15));
    }

    [Fact]
    public void Balanced_weighted_sampling_draws_every_class_equally_often()
    {
        using var data = LabelledRows.Create([900, 90, 10]);
        var labels = data.ReadKeys();
        var sampler = new RobustContext(seed: 0).Data.WeightedRandomSampler(data, batchSize: 100, samplesPerEpoch: 90_000, seed: 4);
        var perClass = sampler.GetBatches(0).SelectMany(b => b).GroupBy(id => labels[id]).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(perClass.Values, n => Assert.InRange(n, 30_000 * 0.97, 30_000 * 1.03));
    }

    [Fact]
    public void Samplers_repeat_an_epoch_and_differ_between_epochs_and_seeds()
    {
        using var data = LabelledRows.Create([50, 50, 50]);
        var ctx = new RobustContext(seed: 0);
        IBatchSampler[] samplers =
        [
            ctx.Data.WeightedRandomSampler(data, batchSize: 16, seed: 1),
            ctx.Data.MPerClassSampler(data, m: 4, batchSize: 12, seed: 1),
            ctx.Data.RandomBatchSampler(data, batchSize: 16, seed: 1),
        ];
        IBatchSampler[] others =
        [
            ctx.Data.WeightedRandomSampler(data, batchSize: 16, seed: 2),
            ctx.Data.MPerClassSampler(data, m: 4, batchSize: 12, seed: 2),
            ctx.Data.RandomBatchSampler(data, batchSize: 16, seed: 2),
        ];
        for (var i = 0; i < samplers.Length; i++)
        {
            var epoch0 = samplers[i].GetBatches(0).SelectMany(b => b).ToArray();
            Assert.Equal(epoch0, samplers[i].GetBatches(0).SelectMany(b => b));
            Assert.NotEqual(epoch0, samplers[i].GetBatches(1).SelectMany(b => b));
            Assert.NotEqual(epoch0, others[i].GetBatches(0).SelectMany(b => b));
        }
    }

    [Fact]
    public void M_per_class_batches_hold_exactly_m_rows_of_each_of_their_classes()
    {
        using var data = LabelledRows.Create([100, 80, 60, 50, 40, 30, 30, 30, 30, 30, 20, 5]);
        var labels = data.ReadKeys();
        var sampler = new RobustContext(seed: 0).Data.MPerClassSampler(data, m: 26, batchSize: 260, samplesPerEpoch: 2600, seed: 5);
        Assert.Equal(10, sampler.ClassesPerBatch);
        var batches = sampler.GetBatches(0).ToList();
        Assert.Equal(10, batches.Count);
        var classesSeen = new HashSet<int>();
        foreach (var batch in batches)
        {
            Assert.Equal(260, batch.Length);
            var byClass = batch.GroupBy(id => labels[id]).ToList();
            Assert.Equal(10, byClass.Count);
            Assert.All(byClass, g => Assert.Equal(26, g.Count()));
            foreach (var g in byClass)
            {
                classesSeen.Add(g.Key);
                // Classes with at least m rows are drawn without replacement; smaller ones (20, 5 rows) with it.
                if (g.Key < 10)
                {
                    Assert.Equal(26, g.Distinct().Count());
                }
                else
                {
                    Assert.True(g.Distinct().Count() < 26);
                }
            }
        }
        // Classes are chosen afresh per batch, so over an epoch all twelve appear.
        Assert.Equal(12, classesSeen.Count);
    }

    [Fact]
    public void M_per_class_epochs_default_to_the_row_count_in_whole_batches()
    {
        using var data = LabelledRows.Create([300, 300, 300, 100]);
        var ctx = new RobustContext(seed: 0);
        Assert.Equal(1000 / 40, ctx.Data.MPerClassSampler(data, m: 10, batchSize: 40).BatchesPerEpoch);
        Assert.Throws<ArgumentException>(() => ctx.Data.MPerClassSampler(data, m: 10, batchSize: 45));
        Assert.Throws<ArgumentException>(() => ctx.Data.MPerClassSampler(data, m: 10, batchSize: 50));
    }

    [Fact]
    public void Random_batches_visit_every_row_once_per_epoch()
    {
        using var data = LabelledRows.Create([7, 6]);
        var sampler = new RobustContext(seed: 0).Data.RandomBatchSampler(data, batchSize: 5, seed: 1);
        var batches = sampler.GetBatches(3).ToList();
        Assert.Equal([5, 5, 3], batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 13).Select(i => (long)i), batches.SelectMany(b => b).Order());
        Assert.Equal(2, new RobustContext(seed: 0).Data.RandomBatchSampler(data, batchSize: 5, dropLast: true, seed: 1).GetBatches(0).Count());
    }
}
