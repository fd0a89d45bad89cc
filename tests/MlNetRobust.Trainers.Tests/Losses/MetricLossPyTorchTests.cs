using System.Text.Json;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Losses;
using static MlNetRobust.Trainers.Tests.Losses.LossTestUtil;

namespace MlNetRobust.Trainers.Tests.Losses;

/// <summary>
/// Loss values and gradients against PyTorch 1.13: Fixtures/metric_loss_references.json, made by
/// make_metric_loss_references.py, which restates pytorch-metric-learning's formulas with its index-based
/// pair and triplet enumeration. Each loss is built through <see cref="MetricLosses.Create"/> from the case's settings.
/// </summary>
public sealed class MetricLossPyTorchTests
{
    private static readonly JsonElement s_root =
        JsonDocument.Parse(File.ReadAllText(Fixture("metric_loss_references.json"))).RootElement;

    public static TheoryData<string> CaseNames => new(s_root.GetProperty("cases").EnumerateObject().Select(p => p.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Loss_and_gradient_match_pytorch(string name)
    {
        var c = s_root.GetProperty("cases").GetProperty(name);
        var loss = MetricLosses.Create(c.GetProperty("loss").GetString()!, Options(c.GetProperty("params")));
        var shape = c.GetProperty("embeddings").GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var data = c.GetProperty("embeddings").GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var labels = c.GetProperty("labels").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(data, shape);
        var y = torch.tensor(labels);
        // Same libtorch kernels, but different summation orders (masks over [N, N] here, index lists there).
        AssertClose(c.GetProperty("value").GetDouble(), Value(loss, x, y), 1e-9, 1e-12, $"{name} value");
        var expectedGrad = c.GetProperty("grad").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        AssertClose(expectedGrad, Gradient(loss, x, y), 1e-7, 1e-10, $"{name} gradient");
    }

    [Fact]
    public void Fixture_comes_from_torch_1_13_and_covers_every_loss()
    {
        Assert.StartsWith("1.13", s_root.GetProperty("torch").GetString());
        var losses = s_root.GetProperty("cases").EnumerateObject().Select(p => p.Value.GetProperty("loss").GetString()).ToHashSet();
        Assert.Equal(MetricLosses.Names.Order(), losses.Order());
    }

    private static MetricLossOptions Options(JsonElement p)
    {
        double? D(string key) => p.TryGetProperty(key, out var v) ? v.GetDouble() : null;
        string? S(string key) => p.TryGetProperty(key, out var v) ? v.GetString() : null;
        return new MetricLossOptions
        {
            AlphaDegrees = D("alpha_degrees"),
            M = D("m"),
            Gamma = D("gamma"),
            Margin = D("margin"),
            PosMargin = D("pos_margin"),
            NegMargin = D("neg_margin"),
            Distance = S("distance") switch { null => null, "cosine" => MetricDistance.Cosine, _ => MetricDistance.Euclidean },
            Reducer = S("reducer") switch { null => null, "mean" => MetricReduction.Mean, "sum" => MetricReduction.Sum, _ => MetricReduction.AvgNonZero },
        };
    }
}
