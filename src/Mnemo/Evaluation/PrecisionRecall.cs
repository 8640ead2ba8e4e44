namespace Mnemo.Evaluation;

/// <summary>
/// Improved precision and recall for generative models (Kynkäänniemi et al. 2019): each set's manifold is the
/// union of balls around its samples with radius the distance to the k-th nearest neighbour (k = 3);
/// precision = share of generated samples inside the real manifold, recall = share of real samples inside the
/// generated one.
/// </summary>
public static class PrecisionRecall
{
    public static (double Precision, double Recall) Compute(double[,] real, double[,] fake, int k = 3)
    {
        var realRadii = KthNeighbourDistances(real, k);
        var fakeRadii = KthNeighbourDistances(fake, k);
        return (Coverage(fake, real, realRadii), Coverage(real, fake, fakeRadii));
    }

    /// <summary>Share of <paramref name="queries"/> within radius[j] of some manifold point j.</summary>
    static double Coverage(double[,] queries, double[,] manifold, double[] radii)
    {
        int n = queries.GetLength(0), m = manifold.GetLength(0);
        int inside = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                if (SquaredDistance(queries, i, manifold, j) <= radii[j] * radii[j]) { inside++; break; }
        return (double)inside / n;
    }

    public static double[] KthNeighbourDistances(double[,] x, int k)
    {
        int n = x.GetLength(0);
        if (n <= k) throw new MnemoException($"precision/recall needs more than k = {k} samples per set");
        var result = new double[n];
        var distances = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) distances[j] = SquaredDistance(x, i, x, j);
            var sorted = (double[])distances.Clone();
            Array.Sort(sorted);
            result[i] = Math.Sqrt(sorted[k]); // sorted[0] is the point itself
        }
        return result;
    }

    static double SquaredDistance(double[,] a, int i, double[,] b, int j)
    {
        double s = 0;
        for (int k = 0; k < a.GetLength(1); k++)
        {
            double d = a[i, k] - b[j, k];
            s += d * d;
        }
        return s;
    }
}
