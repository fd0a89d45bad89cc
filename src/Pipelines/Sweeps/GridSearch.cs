namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>Every combination of the parameters' candidate values, the last parameter varying fastest.</summary>
public sealed class GridSearch : ISweepStrategy
{
    public string Name => "grid";

    public string Describe() => "grid";

    public IEnumerable<TrialRequest> Propose(SearchSpace space, int epochs, ITrialResults results) =>
        space.Grid().Select(p => new TrialRequest(p, epochs));
}
