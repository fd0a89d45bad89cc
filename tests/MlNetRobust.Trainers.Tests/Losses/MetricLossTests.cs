using MlNetRobust.TestSupport;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Losses;
using static MlNetRobust.Trainers.Tests.Losses.LossTestUtil;

namespace MlNetRobust.Trainers.Tests.Losses;

/// <summary>
/// Each loss against its plain-loop reference (<see cref="NaiveMetricLosses"/>) on 6 embeddings of dimension 4
/// in 3 classes: values in float64 and float32, gradients against central differences of the reference, and
/// the degenerate batches.
/// </summary>
public sealed class MetricLossTests
{
    internal sealed record Case(Func<IMetricLoss> Create, Func<double[,], long[], double> Naive, Func<double[,], long[], double[,], double>? FrozenWeights = null);

    internal static readonly Dictionary<string, Case> LossCases = new()
    {
        ["angular_45"] = new(() => new AngularLoss(45), (x, l) => NaiveMetricLosses.Angular(x, l, 45)),
        ["angular_40"] = new(() => new AngularLoss(40), (x, l) => NaiveMetricLosses.Angular(x, l, 40)),
        ["circle_faces"] = new(() => new CircleLoss(0.25, 256), (x, l) => NaiveMetricLosses.Circle(x, l, 0.25, 256),
            (x, l, w) => NaiveMetricLosses.Circle(x, l, 0.25, 256, w)),
        ["circle_retrieval"] = new(() => new CircleLoss(0.4, 80), (x, l) => NaiveMetricLosses.Circle(x, l, 0.4, 80),
            (x, l, w) => NaiveMetricLosses.Circle(x, l, 0.4, 80, w)),
        ["circle_reid_mean"] = new(() => new CircleLoss(0.25, 128, MeanReducer.Instance), (x, l) => NaiveMetricLosses.Circle(x, l, 0.25, 128, avgNonZero: false),
            (x, l, w) => NaiveMetricLosses.Circle(x, l, 0.25, 128, w, avgNonZero: false)),
        ["contrastive_euclidean"] = new(() => new ContrastiveLoss(), (x, l) => NaiveMetricLosses.Contrastive(x, l, cosine: false, 0, 1)),
        ["contrastive_cosine"] = new(() => new ContrastiveLoss(CosineSimilarity.Instance, 0.9, 0.1), (x, l) => NaiveMetricLosses.Contrastive(x, l, cosine: true, 0.9, 0.1)),
        ["triplet_euclidean"] = new(() => new TripletMarginLoss(0.5), (x, l) => NaiveMetricLosses.Triplet(x, l, cosine: false, 0.5)),
        ["triplet_cosine"] = new(() => new TripletMarginLoss(0.2, CosineSimilarity.Instance), (x, l) => NaiveMetricLosses.Triplet(x, l, cosine: true, 0.2)),
    };

    private static readonly Dictionary<string, long[]> s_labels = new()
    {
        ["three_classes"] = ThreeClasses,
        ["uneven"] = Uneven,
    };

    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var c in LossCases.Keys)
            {
                foreach (var l in s_labels.Keys)
                {
                    data.Add(c, l);
                }
            }
            return data;
        }
    }

    public static TheoryData<string> LossNames => new(LossCases.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loss_matches_the_plain_loop_reference_in_float64(string name, string labelSet)
    {
        var (c, labels, x) = (LossCases[name], s_labels[labelSet], SmallEmbeddings());
        using var scope = torch.NewDisposeScope();
        var expected = c.Naive(x, labels);
        var actual = Value(c.Create(), Tensor(x), Labels(labels));
        Assert.True(expected > 0, $"{name}: the example should not be trivially zero");
        AssertClose(expected, actual, 1e-10, 1e-12, name);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float32_loss_agrees_with_the_reference(string name, string labelSet)
    {
        var (c, labels, x) = (LossCases[name], s_labels[labelSet], SmallEmbeddings(seed: 11));
        using var scope = torch.NewDisposeScope();
        var loss = c.Create().Compute(Tensor(x).to(ScalarType.Float32), Labels(labels));
        Assert.Equal(ScalarType.Float32, loss.dtype);
        Assert.Empty(loss.shape);
        // γ = 256 scales float32's ~1e-7 relative rounding of the similarities up to ~1e-4 in the logits.
        AssertClose(c.Naive(x, labels), loss.item<double>(), 1e-4, 1e-4, name);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_matches_central_differences_of_the_reference(string name, string labelSet)
    {
        var (c, labels, x) = (LossCases[name], s_labels[labelSet], SmallEmbeddings(seed: 3));
        using var scope = torch.NewDisposeScope();
        var analytic = Gradient(c.Create(), Tensor(x), Labels(labels));
        // The circle loss's weights α are detached: its gradient is that of the loss with α held at their
        // current values, so the reference differentiates exactly that.
        Func<double[,], double> f = c.FrozenWeights is { } frozen ? p => frozen(p, labels, x) : p => c.Naive(p, labels);
        var numeric = NumericalGradient(f, x);
        Assert.Contains(numeric, g => Math.Abs(g) > 1e-3);
        AssertClose(numeric, analytic, 1e-5, 1e-6, $"d {name} / d embeddings");
    }

    [Fact]
    public void Circle_gradient_treats_the_weights_as_constants()
    {
        // Differentiating through α too would give another gradient; the frozen-weight reference must differ
        // from the full derivative here, or the check above would prove nothing.
        var (x, labels) = (SmallEmbeddings(seed: 3), ThreeClasses);
        using var scope = torch.NewDisposeScope();
        var analytic = Gradient(new CircleLoss(0.25, 256), Tensor(x), Labels(labels));
        var full = NumericalGradient(p => NaiveMetricLosses.Circle(p, labels, 0.25, 256), x);
        Assert.True(analytic.Zip(full).Max(t => Math.Abs(t.First - t.Second)) > 1e-2);
    }

    [Theory]
    [MemberData(nameof(LossNames))]
    public void A_batch_without_positive_pairs_gives_a_finite_loss_and_gradient(string name)
    {
        using var scope = torch.NewDisposeScope();
        var x = SmallEmbeddings();
        long[] distinct = [0, 1, 2, 3, 4, 5];
        var leaf = Tensor(x).requires_grad_();
        var loss = LossCases[name].Create().Compute(leaf, Labels(distinct));
        loss.backward();
        var grad = leaf.grad!.data<double>();
        Assert.All(grad, g => Assert.True(double.IsFinite(g)));
        var value = loss.item<double>();
        if (name.StartsWith("contrastive", StringComparison.Ordinal))
        {
            // Negative pairs alone still count for the contrastive loss.
            AssertClose(LossCases[name].Naive(x, distinct), value, 1e-10, 1e-12, name);
        }
        else
        {
            Assert.Equal(0.0, value);
            Assert.All(grad, g => Assert.Equal(0.0, g));
        }
    }

    [Theory]
    [MemberData(nameof(LossNames))]
    public void A_batch_of_one_class_gives_a_finite_loss(string name)
    {
        using var scope = torch.NewDisposeScope();
        var x = SmallEmbeddings();
        long[] one = [4, 4, 4, 4, 4, 4];
        var value = Value(LossCases[name].Create(), Tensor(x), Labels(one));
        Assert.True(double.IsFinite(value));
        AssertClose(LossCases[name].Naive(x, one), value, 1e-10, 1e-12, name);
        if (!name.StartsWith("contrastive", StringComparison.Ordinal))
        {
            Assert.Equal(0.0, value);
        }
    }

    [Theory]
    [MemberData(nameof(LossNames))]
    public void Single_embedding_gives_zero(string name)
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(0.0, Value(LossCases[name].Create(), torch.ones([1, 4], ScalarType.Float64), Labels([3])));
    }

    [Fact]
    public void Losses_accept_int32_labels_and_ignore_the_embedding_scale()
    {
        using var scope = torch.NewDisposeScope();
        var x = Tensor(SmallEmbeddings());
        var loss = new AngularLoss();
        var reference = Value(loss, x, Labels(ThreeClasses));
        AssertClose(reference, Value(loss, x.mul(7.5), torch.tensor(new[] { 0, 1, 2, 0, 1, 2 })), 1e-12, 1e-12, "scaled, int32 labels");
    }

    [Fact]
    public void Bad_inputs_are_refused_with_their_shapes()
    {
        using var scope = torch.NewDisposeScope();
        var loss = new CircleLoss();
        var e = Assert.Throws<ArgumentException>(() => loss.Compute(torch.zeros([6, 4, 1]), Labels(ThreeClasses)));
        Assert.Contains("float32[6, 4, 1]", e.Message);
        e = Assert.Throws<ArgumentException>(() => loss.Compute(torch.zeros([6, 4]), torch.zeros([6])));
        Assert.Contains("labels must be an int64 tensor [N], got float32[6]", e.Message);
        e = Assert.Throws<ArgumentException>(() => loss.Compute(torch.zeros([5, 4]), Labels(ThreeClasses)));
        Assert.Contains("5 embeddings but 6 labels", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AngularLoss(90));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CircleLoss(m: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CircleLoss(gamma: 0));
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var angular = new AngularLoss();
        Assert.Equal(45, angular.AlphaDegrees);
        Assert.Same(MeanReducer.Instance, angular.Reducer);
        var circle = new CircleLoss();
        Assert.Equal((0.25, 256.0), (circle.M, circle.Gamma));
        Assert.Same(AvgNonZeroReducer.Instance, circle.Reducer);
        var contrastive = new ContrastiveLoss();
        Assert.Equal(("euclidean", 0.0, 1.0), (contrastive.Distance.Name, contrastive.PosMargin, contrastive.NegMargin));
        var cosine = new ContrastiveLoss(CosineSimilarity.Instance);
        Assert.Equal((1.0, 0.0), (cosine.PosMargin, cosine.NegMargin));
        var triplet = new TripletMarginLoss();
        Assert.Equal((0.05, "euclidean"), (triplet.Margin, triplet.Distance.Name));
    }
}

[Collection(TrainersNativeMemoryCollection.Name)]
public sealed class MetricLossMemoryTests
{
    [Fact]
    public void Only_the_result_outlives_the_call()
    {
        using var x = Tensor(SmallEmbeddings());
        using var labels = Labels(ThreeClasses);
        foreach (var c in MetricLossTests.LossCases.Values)
        {
            Garbage.CollectNow();
            var before = torch.live_tensor_count;
            var loss = c.Create().Compute(x, labels);
            Assert.Equal(before + 1, torch.live_tensor_count);
            loss.Dispose();
            Assert.Equal(before, torch.live_tensor_count);
        }
    }
}
