namespace MlNetRobust.Trainers.Tests.Losses;

/// <summary>
/// The losses written the slow, obvious way — plain loops over pairs and triplets in double precision — as
/// the reference the vectorised tensor code is checked against (pytorch-metric-learning tests its losses
/// the same way).
/// </summary>
internal static class NaiveMetricLosses
{
    public static double[][] Normalize(double[,] x)
    {
        var (n, d) = (x.GetLength(0), x.GetLength(1));
        var result = new double[n][];
        for (var i = 0; i < n; i++)
        {
            double norm = 0;
            for (var j = 0; j < d; j++)
            {
                norm += x[i, j] * x[i, j];
            }
            norm = Math.Max(Math.Sqrt(norm), 1e-12);
            result[i] = new double[d];
            for (var j = 0; j < d; j++)
            {
                result[i][j] = x[i, j] / norm;
            }
        }
        return result;
    }

    public static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (var k = 0; k < a.Length; k++)
        {
            s += a[k] * b[k];
        }
        return s;
    }

    public static double Euclidean(double[] a, double[] b)
    {
        double s = 0;
        for (var k = 0; k < a.Length; k++)
        {
            s += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return Math.Sqrt(s);
    }

    public static double LogSumExp(List<double> values)
    {
        var max = values.Max();
        return max + Math.Log(values.Sum(v => Math.Exp(v - max)));
    }

    public static double Softplus(double x) => x > 20 ? x : Math.Log(1 + Math.Exp(x));

    public static double Mean(List<double> losses) => losses.Count == 0 ? 0 : losses.Average();

    public static double AvgNonZero(List<double> losses)
    {
        var positive = losses.Where(l => l > 0).ToList();
        return positive.Count == 0 ? 0 : positive.Average();
    }

    /// <summary>Mean over ordered anchor–positive pairs of log(1 + Σ_negatives exp f).</summary>
    public static double Angular(double[,] embeddings, long[] labels, double alphaDegrees)
    {
        var x = Normalize(embeddings);
        var t2 = Math.Pow(Math.Tan(alphaDegrees * Math.PI / 180), 2);
        var losses = new List<double>();
        for (var a = 0; a < x.Length; a++)
        {
            for (var p = 0; p < x.Length; p++)
            {
                if (a == p || labels[a] != labels[p])
                {
                    continue;
                }
                var terms = new List<double> { 0 }; // the "1 +" inside the log
                for (var n = 0; n < x.Length; n++)
                {
                    if (labels[n] != labels[a])
                    {
                        terms.Add(4 * t2 * (Dot(x[a], x[n]) + Dot(x[p], x[n])) - 2 * (1 + t2) * Dot(x[a], x[p]));
                    }
                }
                losses.Add(LogSumExp(terms));
            }
        }
        return Mean(losses);
    }

    /// <summary>
    /// Circle loss per anchor, averaged over the anchors whose loss is above zero. The weights α come from
    /// <paramref name="weightsFrom"/> (default: the embeddings themselves), so a finite-difference check can
    /// hold them fixed as the detached weights of the real loss are.
    /// </summary>
    public static double Circle(double[,] embeddings, long[] labels, double m, double gamma, double[,]? weightsFrom = null, bool avgNonZero = true)
    {
        var x = Normalize(embeddings);
        var w = Normalize(weightsFrom ?? embeddings);
        var losses = new List<double>();
        for (var i = 0; i < x.Length; i++)
        {
            var (pos, neg) = (new List<double>(), new List<double>());
            for (var j = 0; j < x.Length; j++)
            {
                var s = Dot(x[i], x[j]);
                var sw = Dot(w[i], w[j]);
                if (j != i && labels[j] == labels[i])
                {
                    pos.Add(-gamma * Math.Max(0, 1 + m - sw) * (s - (1 - m)));
                }
                else if (labels[j] != labels[i])
                {
                    neg.Add(gamma * Math.Max(0, sw + m) * (s - m));
                }
            }
            losses.Add(pos.Count == 0 || neg.Count == 0 ? 0 : Softplus(LogSumExp(pos) + LogSumExp(neg)));
        }
        return avgNonZero ? AvgNonZero(losses) : Mean(losses);
    }

    public static double Contrastive(double[,] embeddings, long[] labels, bool cosine, double posMargin, double negMargin)
    {
        var x = Normalize(embeddings);
        var (pos, neg) = (new List<double>(), new List<double>());
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = 0; j < x.Length; j++)
            {
                if (i == j)
                {
                    continue;
                }
                if (labels[i] == labels[j])
                {
                    pos.Add(cosine ? Math.Max(0, posMargin - Dot(x[i], x[j])) : Math.Max(0, Euclidean(x[i], x[j]) - posMargin));
                }
                else
                {
                    neg.Add(cosine ? Math.Max(0, Dot(x[i], x[j]) - negMargin) : Math.Max(0, negMargin - Euclidean(x[i], x[j])));
                }
            }
        }
        return AvgNonZero(pos) + AvgNonZero(neg);
    }

    public static double Triplet(double[,] embeddings, long[] labels, bool cosine, double margin)
    {
        var x = Normalize(embeddings);
        var losses = new List<double>();
        for (var a = 0; a < x.Length; a++)
        {
            for (var p = 0; p < x.Length; p++)
            {
                if (p == a || labels[p] != labels[a])
                {
                    continue;
                }
                for (var n = 0; n < x.Length; n++)
                {
                    if (labels[n] == labels[a])
                    {
                        continue;
                    }
                    losses.Add(cosine
                        ? Math.Max(0, Dot(x[a], x[n]) - Dot(x[a], x[p]) + margin)
                        : Math.Max(0, Euclidean(x[a], x[p]) - Euclidean(x[a], x[n]) + margin));
                }
            }
        }
        return AvgNonZero(losses);
    }
}
