namespace MlNetRobust.Transforms.Umap;

/// <summary>
/// The low-dimensional similarity curve q(d) = 1 / (1 + a d^(2b)) and the fit of (a, b) to min_dist and spread,
/// as umap-learn's <c>find_ab_params</c>: least squares against the offset exponential
/// ψ(d) = 1 for d &lt; min_dist, exp(-(d - min_dist) / spread) otherwise, on 300 points of [0, 3 spread].
/// umap-learn calls scipy's curve_fit (Levenberg–Marquardt from a = b = 1); this is the same method with an
/// analytic Jacobian. Known values: (min_dist 0.1, spread 1) → a ≈ 1.577, b ≈ 0.895.
/// </summary>
public static class UmapCurve
{
    private const int SamplePoints = 300;

    /// <summary>Fits (a, b) for the given min_dist and spread (min_dist in [0, spread], spread &gt; 0).</summary>
    public static (double A, double B) FitAB(double spread, double minDist)
    {
        if (!(spread > 0) || !(minDist >= 0) || minDist > spread)
        {
            throw new ArgumentOutOfRangeException(nameof(minDist), $"need spread > 0 and 0 <= min_dist <= spread (got spread {spread}, min_dist {minDist})");
        }
        var x = new double[SamplePoints];
        var y = new double[SamplePoints];
        for (var i = 0; i < SamplePoints; i++)
        {
            x[i] = 3 * spread * i / (SamplePoints - 1);   // numpy.linspace(0, 3 spread, 300)
            y[i] = x[i] < minDist ? 1 : Math.Exp(-(x[i] - minDist) / spread);
        }

        double a = 1, b = 1, lambda = 1e-3;
        var cost = Cost(x, y, a, b);
        for (var iteration = 0; iteration < 500; iteration++)
        {
            // Normal equations of the linearised problem: (JᵀJ + λ diag JᵀJ) δ = -Jᵀr.
            double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
            for (var i = 0; i < SamplePoints; i++)
            {
                var (r, da, db) = ResidualAndGradient(x[i], y[i], a, b);
                jaa += da * da;
                jab += da * db;
                jbb += db * db;
                ga += da * r;
                gb += db * r;
            }
            var improved = false;
            while (lambda < 1e12)
            {
                var maa = jaa * (1 + lambda);
                var mbb = jbb * (1 + lambda);
                var det = maa * mbb - jab * jab;
                var stepA = (-ga * mbb + gb * jab) / det;
                var stepB = (-gb * maa + ga * jab) / det;
                var (na, nb) = (a + stepA, b + stepB);
                var newCost = na > 0 && nb > 0 ? Cost(x, y, na, nb) : double.PositiveInfinity;
                if (newCost < cost)
                {
                    var converged = cost - newCost <= 1e-15 * cost && Math.Abs(stepA) <= 1e-10 * a && Math.Abs(stepB) <= 1e-10 * b;
                    (a, b, cost) = (na, nb, newCost);
                    lambda = Math.Max(lambda / 10, 1e-12);
                    improved = !converged;
                    break;
                }
                lambda *= 10;
            }
            if (!improved)
            {
                break;
            }
        }
        return (a, b);
    }

    /// <summary>q(d) = 1 / (1 + a d^(2b)), the similarity of two points at distance d in the map.</summary>
    public static double Similarity(double distance, double a, double b) => 1 / (1 + a * Math.Pow(distance, 2 * b));

    private static double Cost(double[] x, double[] y, double a, double b)
    {
        double sum = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var r = Similarity(x[i], a, b) - y[i];
            sum += r * r;
        }
        return sum;
    }

    private static (double Residual, double DA, double DB) ResidualAndGradient(double x, double y, double a, double b)
    {
        if (x == 0)
        {
            return (1 - y, 0, 0);   // x^(2b) = 0 and its derivatives vanish at 0 for b > 0
        }
        var p = Math.Pow(x, 2 * b);
        var denominator = 1 + a * p;
        var f = 1 / denominator;
        var common = -1 / (denominator * denominator);
        return (f - y, common * p, common * a * p * 2 * Math.Log(x));
    }
}
