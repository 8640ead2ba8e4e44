using Mnemo.SelfConditioned;

namespace Mnemo.LabelFree;

/// <summary>How well a clustering agrees with the true classes (labels used only here, for evaluation).</summary>
/// <param name="Accuracy">Hungarian-matched accuracy: the share of samples whose cluster is matched one-to-one to
/// their class by the assignment that maximises agreement (clusters beyond the classes count as wrong), in [0, 1].</param>
/// <param name="Nmi">Normalised mutual information, MI / mean(H(clusters), H(classes)) (sklearn's default
/// "arithmetic" normalisation), in [0, 1]; 1 when both have a single group.</param>
/// <param name="Purity">Each cluster counted as its majority class (many-to-one, as CURL, Rao et al. 2019, reports
/// it), in [0, 1].</param>
public sealed record ClusterAgreement(double Accuracy, double Nmi, double Purity)
{
    /// <summary>Agreement of <paramref name="clusters"/> with <paramref name="classes"/> (same length, any ids).</summary>
    /// <exception cref="ArgumentException">The lengths differ or there are no samples.</exception>
    public static ClusterAgreement Of(IReadOnlyList<long> clusters, IReadOnlyList<long> classes)
    {
        if (clusters.Count != classes.Count) throw new ArgumentException($"{clusters.Count} cluster ids but {classes.Count} classes");
        if (clusters.Count == 0) throw new ArgumentException("cluster agreement needs at least one sample");
        var clusterIds = clusters.Distinct().Order().ToList();
        var classIds = classes.Distinct().Order().ToList();
        var counts = new double[clusterIds.Count, classIds.Count];
        var clusterIndex = clusterIds.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var classIndex = classIds.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        for (int i = 0; i < clusters.Count; i++) counts[clusterIndex[clusters[i]], classIndex[classes[i]]]++;
        return FromCounts(counts);
    }

    /// <summary>Agreement from a contingency table (rows: clusters, columns: classes, sample counts).</summary>
    public static ClusterAgreement FromCounts(double[,] counts)
    {
        int r = counts.GetLength(0), c = counts.GetLength(1);
        double n = 0;
        var rows = new double[r];
        var cols = new double[c];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++) { n += counts[i, j]; rows[i] += counts[i, j]; cols[j] += counts[i, j]; }
        if (n == 0) throw new ArgumentException("cluster agreement needs at least one sample");
        double mi = 0;
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++)
                if (counts[i, j] > 0) mi += counts[i, j] / n * Math.Log(counts[i, j] * n / (rows[i] * cols[j]));
        double hRows = Entropy(rows, n), hCols = Entropy(cols, n);
        double nmi = hRows == 0 && hCols == 0 ? 1 : mi / ((hRows + hCols) / 2);
        double purity = Enumerable.Range(0, r).Sum(i => Enumerable.Range(0, c).Max(j => counts[i, j])) / n;
        var match = OneToOne(counts);
        double matched = match.Select((j, i) => j >= 0 ? counts[i, j] : 0).Sum();
        return new ClusterAgreement(matched / n, Math.Clamp(nmi, 0, 1), purity);
    }

    static double Entropy(double[] sizes, double n) => -sizes.Where(s => s > 0).Sum(s => s / n * Math.Log(s / n));

    /// <summary>The one-to-one assignment of rows to columns that maximises the matched counts (Hungarian algorithm);
    /// −1 for rows left without a column when there are more rows than columns.</summary>
    public static int[] OneToOne(double[,] counts)
    {
        int r = counts.GetLength(0), c = counts.GetLength(1);
        var result = Enumerable.Repeat(-1, r).ToArray();
        if (r <= c)
        {
            var cost = new double[r, c];
            for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) cost[i, j] = -counts[i, j];
            var assignment = Hungarian.Solve(cost);
            for (int i = 0; i < r; i++) result[i] = assignment[i];
        }
        else
        {
            var cost = new double[c, r];
            for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) cost[j, i] = -counts[i, j];
            var assignment = Hungarian.Solve(cost);
            for (int j = 0; j < c; j++) result[assignment[j]] = j;
        }
        return result;
    }

    /// <summary>The class of each cluster (rows of <paramref name="counts"/>: clusters, columns: classes): the
    /// one-to-one Hungarian matching where it reaches, and the majority class for clusters beyond the classes.</summary>
    public static int[] ClassOfEachCluster(double[,] counts)
    {
        var match = OneToOne(counts);
        int c = counts.GetLength(1);
        for (int i = 0; i < match.Length; i++)
            if (match[i] < 0) match[i] = Enumerable.Range(0, c).MaxBy(j => counts[i, j]);
        return match;
    }
}
