using MlNetRobust.Pipelines.Scenarios;
using MlNetRobust.Trainers.Classification;
using MlNetRobust.Trainers.Embedding;
using MlNetRobust.Trainers.Losses;

namespace MlNetRobust.Pipelines.Tests;

public sealed class ScenarioOverridesTests
{
    private static readonly Scenario[] s_chosen = [ScenarioCatalog.BaselineCrossEntropy, ScenarioCatalog.FgsmRandomStartAdversarial, ScenarioCatalog.Circle];

    [Fact]
    public void Values_apply_to_the_scenarios_that_declare_them_under_their_own_names()
    {
        var values = ScenarioOverrides.Parse(["Probability=1", "gamma = 64", "lr=3e-4"], s_chosen);
        Assert.Equal(new Dictionary<string, double> { ["lr"] = 3e-4 }, ScenarioOverrides.For(ScenarioCatalog.BaselineCrossEntropy, values));
        Assert.Equal(new Dictionary<string, double> { ["probability"] = 1, ["lr"] = 3e-4 }, ScenarioOverrides.For(ScenarioCatalog.FgsmRandomStartAdversarial, values));
        Assert.Equal(new Dictionary<string, double> { ["gamma"] = 64, ["lr"] = 3e-4 }, ScenarioOverrides.For(ScenarioCatalog.Circle, values));
        Assert.Equal("; this run: probability=1, lr=0.0003", ScenarioOverrides.Describe(ScenarioOverrides.For(ScenarioCatalog.FgsmRandomStartAdversarial, values)));
        Assert.Equal("", ScenarioOverrides.Describe(new Dictionary<string, double>()));
    }

    [Fact]
    public void The_values_reach_the_trainers()
    {
        var ctx = new RobustContext(seed: 1);
        var values = ScenarioOverrides.Parse(["probability=1", "gamma=64"], s_chosen);
        ScenarioContext For(Scenario s) => new(ctx, new TrainingSettings(), null, "checkpoint", null, ScenarioOverrides.For(s, values));
        var adversarial = (AdversarialTrainer)ScenarioCatalog.FgsmRandomStartAdversarial.CreateTrainer(For(ScenarioCatalog.FgsmRandomStartAdversarial));
        Assert.Equal(1.0, adversarial.TrainerOptions.Probability);
        var circle = (AngularEmbeddingTrainer)ScenarioCatalog.Circle.CreateTrainer(For(ScenarioCatalog.Circle));
        Assert.Equal((0.25, 64.0), (((CircleLoss)circle.TrainerOptions.Loss).M, ((CircleLoss)circle.TrainerOptions.Loss).Gamma));
    }

    [Theory]
    [InlineData("probability", "--param 'probability': expected NAME=VALUE, e.g. probability=1")]
    [InlineData("=1", "--param '=1': expected NAME=VALUE, e.g. probability=1")]
    [InlineData("probability=0.5,1", "--param probability: '0.5,1' is not a number (an experiment takes one value; sweeps take lists)")]
    [InlineData("alpha=40", "--param alpha: none of the chosen scenarios (baseline-ce, fgsm-rs-adversarial, circle) has such a parameter")]
    [InlineData("probability=1.5", "--param probability: 1.5 is out of range: probability must lie in [0, 1]")]
    [InlineData("m=1", "--param m: 1 is out of range: m must lie in [0, 1)")]
    public void A_bad_spec_is_refused_naming_it(string spec, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => ScenarioOverrides.Parse([spec], s_chosen));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void A_parameter_given_twice_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => ScenarioOverrides.Parse(["lr=0.001", "LR=0.01"], s_chosen));
        Assert.Equal("--param LR: given twice", e.Message);
    }
}
