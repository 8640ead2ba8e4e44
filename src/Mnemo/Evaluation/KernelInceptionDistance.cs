namespace Mnemo.Evaluation;

/// <summary>
/// KID (Bińkowski et al. 2018): the unbiased estimate of the squared MMD with the cubic polynomial kernel
/// k(x, y) = (xᵀy / d + 1)³, averaged over random subsets as torch-fidelity does (defaults: 100 subsets of 1000).
/// </summary>
public static class KernelInceptionDistance
{
    public static (double Mean, double Std) Compute(double[,] real, double[,] fake, int subsets = 100, int subsetSize = 1000, int seed = 0)
    {
        int n = real.GetLength(0), m = fake.GetLength(0), d = real.GetLength(1);
        if (fake.GetLength(1) != d) throw new ArgumentException("feature dimensions differ");
        int size = Math.Min(subsetSize, Math.Min(n, m));
        if (size < 2) throw new MnemoException("KID needs at least 2 samples in each set");
        var rng = new Random(seed);
        var values = new double[subsets];
        for (int s = 0; s < subsets; s++)
        {
            var x = Sample(rng, n, size);
            var y = Sample(rng, m, size);
            values[s] = UnbiasedMmd2(real, x, fake, y, d);
        }
        double mean = values.Average();
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        return (mean, std);
    }

    /// <summary>Unbiased MMD² between the rows <paramref name="ix"/> of a and <paramref name="iy"/> of b.</summary>
    public static double UnbiasedMmd2(double[,] a, int[] ix, double[,] b, int[] iy, int d)
    {
        int m = ix.Length;
        double kxx = 0, kyy = 0, kxy = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                if (i != j)
                {
                    kxx += Kernel(a, ix[i], a, ix[j], d);
                    kyy += Kernel(b, iy[i], b, iy[j], d);
                }
                kxy += Kernel(a, ix[i], b, iy[j], d);
            }
        return kxx / (m * (m - 1.0)) + kyy / (m * (m - 1.0)) - 2 * kxy / ((double)m * m);
    }

    static double Kernel(double[,] a, int i, double[,] b, int j, int d)
    {
        double dot = 0;
        for (int k = 0; k < d; k++) dot += a[i, k] * b[j, k];
        double v = dot / d + 1;
        return v * v * v;
    }

    static int[] Sample(Random rng, int n, int size)
    {
        var idx = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < size; i++)
        {
            int j = rng.Next(i, n);
            (idx[i], idx[j]) = (idx[j], idx[i]);
        }
        return idx[..size];
    }
}
