using Mnemo.Data;

namespace Mnemo.Evaluation;

/// <summary>Mode-collapse metrics of the Self-Conditioned GAN paper (definitions from its code).</summary>
public static class ModeMetrics
{
    /// <summary>
    /// 2-D mixtures (2d_mix/evaluation.py): a sample is high quality when it lies within 3 standard deviations of
    /// some mode in every coordinate; modes recovered = modes with at least one high-quality sample; reverse KL =
    /// KL(p_fake ‖ uniform) over the histogram of nearest modes of all samples, natural log.
    /// </summary>
    public static (int Modes, double HighQuality, double ReverseKl) Mixture(Mixture2D mixture, float[] points)
    {
        int n = points.Length / 2, k = mixture.Modes;
        if (n == 0) throw new MnemoException("no samples to evaluate");
        var visited = new HashSet<int>();
        var nearestCounts = new int[k];
        int good = 0;
        for (int i = 0; i < n; i++)
        {
            double x = points[2 * i], y = points[2 * i + 1];
            int nearest = 0;
            double best = double.PositiveInfinity;
            for (int m = 0; m < k; m++)
            {
                double dx = x - mixture.Means[m, 0], dy = y - mixture.Means[m, 1];
                double d = dx * dx + dy * dy;
                if (d < best) { best = d; nearest = m; }
            }
            // The 3σ boxes of different modes do not overlap, so the box a good sample is in is its nearest mode's.
            double ndx = Math.Abs(x - mixture.Means[nearest, 0]), ndy = Math.Abs(y - mixture.Means[nearest, 1]);
            if (ndx < 3 * mixture.Std && ndy < 3 * mixture.Std) { good++; visited.Add(nearest); }
            nearestCounts[nearest]++;
        }
        return (visited.Count, (double)good / n, ReverseKl(nearestCounts, Math.E));
    }

    /// <summary>Image datasets (metrics.py): modes = classes predicted at least once; reverse KL = Σ p log(p · K)
    /// with log base 10, as the reference code does.</summary>
    public static (int Modes, double ReverseKl) Predicted(long[] predictedClasses, int classes)
    {
        var counts = new int[classes];
        foreach (var c in predictedClasses) counts[c]++;
        return (counts.Count(c => c > 0), ReverseKl(counts, 10));
    }

    public static double ReverseKl(int[] counts, double logBase)
    {
        double n = counts.Sum(), k = counts.Length, kl = 0;
        foreach (var c in counts)
            if (c > 0)
            {
                double p = c / n;
                kl += p * Math.Log(p * k, logBase);
            }
        return kl;
    }
}
