namespace MlNetRobust.Pipelines.Sweeps;

/// <summary>
/// Coordinate search as the research tuned its losses (circle m first, then gamma with the best m): start with every
/// parameter at its default, try each candidate of the first parameter with the others held, keep the best, then do
/// the same for the next parameter. A configuration already tried (e.g. the current best, seen again while varying
/// the next parameter) is not trained again. More passes repeat the round until one changes nothing.
/// Trials: the sum of the candidate counts per pass, minus repeats — far fewer than a grid's product.
/// </summary>
public sealed class GreedyCoordinateSearch(int passes = 1) : ISweepStrategy
{
    public int Passes { get; } = passes >= 1 ? passes
        : throw new ArgumentOutOfRangeException(nameof(passes), passes, "greedy coordinate search needs at least one pass");

    public string Name => "greedy";

    public string Describe() => $"greedy(passes={Passes})";

    public IEnumerable<TrialRequest> Propose(SearchSpace space, int epochs, ITrialResults results)
    {
        var current = space.Defaults;
        double? currentScore = null;
        for (var pass = 0; pass < Passes; pass++)
        {
            var start = current;
            foreach (var parameter in space.Parameters)
            {
                ParameterSet? best = null;
                double? bestScore = null;
                foreach (var value in parameter.Candidates)
                {
                    var request = new TrialRequest(current.With(parameter.Name, value), epochs);
                    yield return request;
                    if (results.ScoreOf(request) is { } score && (bestScore is null || score > bestScore))
                    {
                        (best, bestScore) = (request.Parameters, score);
                    }
                }
                // Ties keep what we have: a change must earn its place.
                if (best is not null && (currentScore is null || bestScore > currentScore))
                {
                    (current, currentScore) = (best, bestScore);
                }
            }
            if (current.Equals(start))
            {
                yield break;
            }
        }
    }
}
