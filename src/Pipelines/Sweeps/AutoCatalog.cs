using MlNetRobust.Catalogs;
using MlNetRobust.Pipelines.Experiments;
using MlNetRobust.Pipelines.Scenarios;
using MlNetRobust.Pipelines.Sweeps;

namespace MlNetRobust.Pipelines.Sweeps
{
    /// <summary>
    /// Hyper-parameter sweeps in the spirit of ML.NET's AutoML (<c>ctx.Auto()</c>): search spaces, strategies seeded
    /// from the context, the scenario objective and the resumable runner.
    /// Example:
    /// <code>
    /// var auto = ctx.Auto();
    /// using var objective = auto.ScenarioObjective(ScenarioCatalog.Circle, new ExperimentOptions { OutputFolder = "sweeps/circle", TrainPerClass = 200 });
    /// var result = auto.Sweep(new SweepOptions { OutputFolder = "sweeps/circle", Space = auto.DefaultSearchSpace(ScenarioCatalog.Circle),
    ///     Strategy = auto.Greedy(), Epochs = 3, Budget = new() { MaxTime = TimeSpan.FromHours(1) } }).Run(objective);
    /// Console.WriteLine(result.Best?.Key);      // e.g. "m=0.25;gamma=128"
    /// </code>
    /// </summary>
    public sealed class AutoCatalog(RobustContext context) : CatalogBase(context)
    {
        /// <summary>The scenario's usual sweep (circle: m and gamma; angular: alpha; adversarial: eps and probability; cross-entropy: lr).</summary>
        public SearchSpace DefaultSearchSpace(Scenario scenario) => ScenarioSearchSpace.Default(scenario);

        /// <summary>A search space from specs such as "m=0.1,0.25,0.4" or "lr=0.0001..0.01:log".</summary>
        public SearchSpace SearchSpace(Scenario scenario, params IEnumerable<string> specs) => ScenarioSearchSpace.Parse(scenario, specs);

        public GridSearch Grid() => new();

        public RandomSearch Random(int configurations = RandomSearch.Defaults.Configurations) => new(Context.Seed, configurations);

        public GreedyCoordinateSearch Greedy(int passes = 1) => new(passes);

        public SuccessiveHalving Halving(int eta = SuccessiveHalving.Defaults.Eta, int minEpochs = SuccessiveHalving.Defaults.MinEpochs, int? configurations = null) =>
            new(eta, minEpochs, configurations, Context.Seed);

        /// <summary>Trains <paramref name="scenario"/> per trial on <paramref name="data"/>'s training slice and scores it on its validation slice.</summary>
        public ScenarioObjective ScenarioObjective(Scenario scenario, ExperimentOptions data, SweepMetric metric = SweepMetric.Accuracy) =>
            new(Context, scenario, data with { Training = data.Training with { Seed = Context.Seed } }, metric);

        public SweepRunner Sweep(SweepOptions options) => new(options);
    }
}

namespace MlNetRobust
{
    public static class AutoCatalogExtensions
    {
        /// <summary>Hyper-parameter sweeps (<see cref="AutoCatalog"/>).</summary>
        public static AutoCatalog Auto(this RobustContext context) => new(context);
    }
}
