using MlNetRobust.Pipelines.Scenarios;
using MlNetRobust.Pipelines.Sweeps;
using MlNetRobust.Trainers.Classification;
using MlNetRobust.Trainers.Embedding;
using MlNetRobust.Trainers.Losses;
using MlNetRobust.Transforms.Attacks;

namespace MlNetRobust.Pipelines.Tests;

public sealed class ScenarioSearchSpaceTests
{
    [Theory]
    [InlineData("circle", "m=0.1,0.25,0.4 (default 0.25); gamma=32,64,128,256 (default 256)")]
    [InlineData("angular", "alpha=35,40,45,50 (default 45)")]
    [InlineData("fgsm-adversarial", "eps=0.005,0.01,0.02,0.03 (default 0.01); probability=0.3,0.5,0.7 (default 0.5)")]
    [InlineData("fgsm-pgd-adversarial", "pgd-eps=0.01,0.02,0.03 (default 0.03); probability=0.3,0.5,0.7 (default 0.5)")]
    [InlineData("baseline-ce", "lr=0.0001,0.0003,0.001,0.003 (default 0.001)")]
    [InlineData("perturbation-ce", "lr=0.0001,0.0003,0.001,0.003 (default 0.001)")]
    public void Each_scenario_has_a_default_sweep(string scenario, string expected) =>
        Assert.Equal(expected, ScenarioSearchSpace.Default(ScenarioCatalog.Get(scenario)).Describe());

    [Fact]
    public void Specs_give_lists_fractions_and_ranges_in_the_order_written()
    {
        var space = ScenarioSearchSpace.Parse(ScenarioCatalog.FgsmAdversarial, ["probability=0.5", "eps=4/255,8/255", "lr=1e-4..1e-2:log:3"]);
        Assert.Equal(["probability", "eps", "lr"], space.Parameters.Select(p => p.Name));
        Assert.Equal([4 / 255.0, 8 / 255.0], space.Parameters[1].Candidates);
        Assert.Equal([1e-4, 1e-3, 1e-2], space.Parameters[2].Candidates);
        Assert.Equal(1e-3, space.Parameters[2].Default);
        var batch = ScenarioSearchSpace.Parse(ScenarioCatalog.BaselineCrossEntropy, ["batch-size=32..256:3"]);
        Assert.Equal([32, 144, 256], batch.Parameters[0].Candidates);
    }

    [Theory]
    [InlineData("circle", "m0.25", "'m0.25': expected NAME=VALUES, e.g. m=0.1,0.25,0.4 or lr=0.0001..0.01:log")]
    [InlineData("circle", "m=", "'m=': expected NAME=VALUES, e.g. m=0.1,0.25,0.4 or lr=0.0001..0.01:log")]
    [InlineData("circle", "alpha=40", "alpha: the circle scenario has no such parameter (it has lr, m, gamma, per-class)")]
    [InlineData("baseline-ce", "gamma=64", "gamma: the baseline-ce scenario has no such parameter (it has lr, batch-size)")]
    [InlineData("circle", "gamma=-1", "gamma: -1 is out of range: gamma must be greater than 0")]
    [InlineData("circle", "m=0.1,1", "m: 1 is out of range: m must lie in [0, 1)")]
    [InlineData("angular", "alpha=45,90", "alpha: 90 is out of range: alpha must lie in (0, 90)")]
    [InlineData("fgsm-adversarial", "probability=1.5", "probability: 1.5 is out of range: probability must lie in [0, 1]")]
    [InlineData("baseline-ce", "batch-size=64.5", "batch-size: 64.5 is out of range: batch-size must be a whole number")]
    [InlineData("baseline-ce", "lr=0", "lr: 0 is out of range: lr must lie in (0, 10]")]
    [InlineData("circle", "m=abc", "m: 'abc' is not a number")]
    [InlineData("circle", "m=0.1,0.1", "m: 0.1 is listed twice")]
    [InlineData("baseline-ce", "lr=0.1..0.01", "lr: the range 0.1..0.01 is empty (the low end must be below the high end)")]
    [InlineData("baseline-ce", "lr=0.001..0.1:cubic", "lr: unknown range option 'cubic' (expected 'log' or a number of grid points, at least 2)")]
    [InlineData("baseline-ce", "lr=0.001..0.1:1", "lr: unknown range option '1' (expected 'log' or a number of grid points, at least 2)")]
    [InlineData("baseline-ce", "lr=0.001..0.01..0.1", "lr: '0.001..0.01..0.1' is not a range; expected LOW..HIGH[:log][:POINTS], e.g. lr=0.0001..0.01:log")]
    [InlineData("circle", "m=0..0.5:log", "m: a log range needs a positive low end (got 0)")]
    public void Bad_specs_are_refused_with_a_message_that_says_why(string scenario, string spec, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => ScenarioSearchSpace.Parse(ScenarioCatalog.Get(scenario), [spec]));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void A_parameter_given_twice_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => ScenarioSearchSpace.Parse(ScenarioCatalog.Circle, ["m=0.1", "M=0.2"]));
        Assert.Equal("m: given twice", e.Message);
    }

    [Fact]
    public void A_trials_parameters_reach_the_trainer_and_the_others_keep_their_defaults()
    {
        var ctx = new RobustContext(seed: 1);
        ScenarioContext With(params (string, double)[] values) =>
            new(ctx, new TrainingSettings(), null, "checkpoint", null, values.ToDictionary(v => v.Item1, v => v.Item2));

        var circle = (AngularEmbeddingTrainer)ScenarioCatalog.Circle.CreateTrainer(With(("m", 0.4), ("gamma", 80), ("lr", 0.01)));
        var loss = Assert.IsType<CircleLoss>(circle.TrainerOptions.Loss);
        Assert.Equal((0.4, 80.0, 0.01, 26), (loss.M, loss.Gamma, circle.TrainerOptions.LearningRate, circle.TrainerOptions.MPerClass));

        var angular = (AngularEmbeddingTrainer)ScenarioCatalog.Angular.CreateTrainer(With(("alpha", 40), ("per-class", 13)));
        Assert.Equal((40.0, 13), (Assert.IsType<AngularLoss>(angular.TrainerOptions.Loss).AlphaDegrees, angular.TrainerOptions.MPerClass));

        var adversarial = (AdversarialTrainer)ScenarioCatalog.FgsmPgdAdversarial.CreateTrainer(With(("pgd-eps", 0.02), ("probability", 0.7), ("batch-size", 64)));
        Assert.Equal((0.7, 64), (adversarial.TrainerOptions.Probability, adversarial.TrainerOptions.BatchSize));
        Assert.Equal([AttackOptions.Fgsm(0.01), AttackOptions.Pgd(0.02, 0.007, 10)], adversarial.TrainerOptions.Attacks);

        var defaults = (AngularEmbeddingTrainer)ScenarioCatalog.Circle.CreateTrainer(With());
        Assert.Equal((0.25, 256.0, 1e-3), (((CircleLoss)defaults.TrainerOptions.Loss).M, ((CircleLoss)defaults.TrainerOptions.Loss).Gamma, defaults.TrainerOptions.LearningRate));
    }
}
