namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>
/// How a sweep chooses its trials. <see cref="Propose"/> yields one trial at a time; the runner evaluates it (or
/// finds it in the trial log) before asking for the next, so an adaptive strategy reads the score of what it just
/// proposed through <see cref="ITrialResults"/>. The runner stops enumerating when the budget is spent.
/// Strategies are deterministic: the same space, epochs and scores give the same proposals, which is what lets an
/// interrupted sweep resume by replaying them against its log.
/// </summary>
public interface ISweepStrategy
{
    /// <summary>"grid", "random", "greedy", "halving".</summary>
    string Name { get; }

    /// <summary>Canonical text of the strategy and its settings (part of a sweep's identity).</summary>
    string Describe();

    /// <param name="epochs">Epochs per trial (successive halving: of its last rung).</param>
    IEnumerable<TrialRequest> Propose(SearchSpace space, int epochs, ITrialResults results);
}

/// <summary>The scores of trials the runner has evaluated.</summary>
public interface ITrialResults
{
    /// <summary>The score of a finished trial (higher is better); null when it failed or has not run.</summary>
    double? ScoreOf(TrialRequest request);
}
