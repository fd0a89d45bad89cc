using MlNetRobust.Trainers.Losses;

namespace MlNetRobust.Trainers.Tests.Losses;

public sealed class MetricLossFactoryTests
{
    [Fact]
    public void Every_name_creates_its_loss_with_the_defaults()
    {
        Assert.Equal(["angular", "circle", "contrastive", "triplet"], MetricLosses.Names.Order());
        foreach (var name in MetricLosses.Names)
        {
            Assert.Equal(name, MetricLosses.Create(name).Name);
        }
        var circle = Assert.IsType<CircleLoss>(MetricLosses.Create("Circle"));
        Assert.Equal((CircleLoss.Defaults.M, CircleLoss.Defaults.Gamma), (circle.M, circle.Gamma));
    }

    [Fact]
    public void Settings_reach_the_loss()
    {
        var circle = Assert.IsType<CircleLoss>(MetricLosses.Create("circle", new() { M = 0.4, Gamma = 80, Reducer = MetricReduction.Mean }));
        Assert.Equal((0.4, 80.0, "mean"), (circle.M, circle.Gamma, circle.Reducer.Name));
        var angular = Assert.IsType<AngularLoss>(MetricLosses.Create("angular", new() { AlphaDegrees = 40 }));
        Assert.Equal(40, angular.AlphaDegrees);
        var triplet = Assert.IsType<TripletMarginLoss>(MetricLosses.Create("triplet", new() { Margin = 0.2, Distance = MetricDistance.Cosine }));
        Assert.Equal((0.2, "cosine", "avg_non_zero"), (triplet.Margin, triplet.Distance.Name, triplet.Reducer.Name));
        var contrastive = Assert.IsType<ContrastiveLoss>(MetricLosses.Create("contrastive", new() { NegMargin = 0.7 }));
        Assert.Equal((0.0, 0.7), (contrastive.PosMargin, contrastive.NegMargin));
    }

    [Fact]
    public void An_unknown_name_lists_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => MetricLosses.Create("arcface"));
        Assert.Contains("unknown metric loss 'arcface'; known: angular, circle, contrastive, triplet", e.Message);
    }

    [Fact]
    public void A_setting_the_loss_does_not_take_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => MetricLosses.Create("angular", new() { Gamma = 80 }));
        Assert.Contains("the angular loss does not take gamma (it takes alpha_degrees, reducer)", e.Message);
    }

    [Fact]
    public void Losses_describe_every_setting_that_changes_them()
    {
        Assert.Equal("angular(alpha=45, reducer=mean)", new AngularLoss(45, MeanReducer.Instance).ToString());
        Assert.Equal("circle(m=0.25, gamma=256, reducer=mean)", new CircleLoss(0.25, 256, MeanReducer.Instance).ToString());
        Assert.NotEqual(new CircleLoss(0.1, 64).ToString(), new CircleLoss(0.4, 64).ToString());
        Assert.NotEqual(new AngularLoss(40).ToString(), new AngularLoss(45).ToString());
        Assert.NotEqual(new TripletMarginLoss(0.05).ToString(), new TripletMarginLoss(0.2).ToString());
    }
}
