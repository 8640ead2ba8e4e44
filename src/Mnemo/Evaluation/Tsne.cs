namespace Mnemo.Evaluation;

/// <summary>
/// Exact t-SNE (van der Maaten &amp; Hinton 2008) for a few thousand points: Gaussian affinities with a per-point
/// bandwidth found by binary search on the perplexity, symmetrised; Student-t affinities in 2-D; gradient descent
/// with momentum, early exaggeration and gains, as in the reference implementation. O(N²) per iteration.
/// </summary>
public static class Tsne
{
    public static double[,] Embed(double[,] x, double perplexity = 30, int iterations = 750, int seed = 0, Action<int>? progress = null)
    {
        int n = x.GetLength(0);
        if (n < 5) throw new MnemoException("t-SNE needs at least 5 points");
        perplexity = EffectivePerplexity(n, perplexity);
        var p = Affinities(x, perplexity);
        var rng = new Random(seed);
        var y = new double[n, 2];
        for (int i = 0; i < n; i++) { y[i, 0] = Gaussian(rng) * 1e-4; y[i, 1] = Gaussian(rng) * 1e-4; }
        var update = new double[n, 2];
        var gains = new double[n, 2];
        for (int i = 0; i < n; i++) gains[i, 0] = gains[i, 1] = 1;
        var q = new double[n * n];
        for (int it = 0; it < iterations; it++)
        {
            double exaggeration = it < 250 ? 12 : 1, momentum = it < 250 ? 0.5 : 0.8, eta = Math.Max(n / 12.0, 50);
            double sumQ = 0;
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                {
                    double dx = y[i, 0] - y[j, 0], dy = y[i, 1] - y[j, 1];
                    double v = 1 / (1 + dx * dx + dy * dy);
                    q[i * n + j] = q[j * n + i] = v;
                    sumQ += 2 * v;
                }
            for (int i = 0; i < n; i++)
            {
                double gx = 0, gy = 0;
                for (int j = 0; j < n; j++)
                {
                    if (i == j) continue;
                    double num = q[i * n + j];
                    double mult = (exaggeration * p[i * n + j] - num / sumQ) * num;
                    gx += 4 * mult * (y[i, 0] - y[j, 0]);
                    gy += 4 * mult * (y[i, 1] - y[j, 1]);
                }
                Step(ref gains[i, 0], ref update[i, 0], gx, momentum, eta);
                Step(ref gains[i, 1], ref update[i, 1], gy, momentum, eta);
            }
            double mx = 0, my = 0;
            for (int i = 0; i < n; i++) { y[i, 0] += update[i, 0]; y[i, 1] += update[i, 1]; mx += y[i, 0]; my += y[i, 1]; }
            for (int i = 0; i < n; i++) { y[i, 0] -= mx / n; y[i, 1] -= my / n; }
            progress?.Invoke(it + 1);
        }
        return y;
    }

    /// <summary>The perplexity Embed uses for n points: at most (n − 1) / 3, so that every point's Gaussian can reach
    /// the requested number of effective neighbours (openTSNE lowers it the same way). Callers report the change.</summary>
    public static double EffectivePerplexity(int n, double perplexity) => Math.Min(perplexity, (n - 1) / 3.0);

    static void Step(ref double gain, ref double update, double gradient, double momentum, double eta)
    {
        gain = Math.Sign(gradient) != Math.Sign(update) ? gain + 0.2 : Math.Max(gain * 0.8, 0.01);
        update = momentum * update - eta * gain * gradient;
    }

    /// <summary>Symmetric joint probabilities P (row-major N×N) with the requested perplexity.</summary>
    public static double[] Affinities(double[,] x, double perplexity)
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        var dist = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++) { double t = x[i, k] - x[j, k]; s += t * t; }
                dist[i * n + j] = dist[j * n + i] = s;
            }
        var p = new double[n * n];
        double target = Math.Log(perplexity);
        var row = new double[n];
        for (int i = 0; i < n; i++)
        {
            double beta = 1, lo = double.NegativeInfinity, hi = double.PositiveInfinity;
            for (int attempt = 0; attempt < 100; attempt++)
            {
                double sum = 0, weighted = 0;
                for (int j = 0; j < n; j++)
                {
                    row[j] = j == i ? 0 : Math.Exp(-dist[i * n + j] * beta);
                    sum += row[j];
                    weighted += row[j] * dist[i * n + j];
                }
                sum = Math.Max(sum, 1e-300);
                double entropy = Math.Log(sum) + beta * weighted / sum;
                for (int j = 0; j < n; j++) p[i * n + j] = row[j] / sum;
                double diff = entropy - target;
                if (Math.Abs(diff) < 1e-5) break;
                if (diff > 0) { lo = beta; beta = double.IsPositiveInfinity(hi) ? beta * 2 : (beta + hi) / 2; }
                else { hi = beta; beta = double.IsNegativeInfinity(lo) ? beta / 2 : (beta + lo) / 2; }
            }
        }
        var sym = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                sym[i * n + j] = Math.Max((p[i * n + j] + p[j * n + i]) / (2.0 * n), 1e-12);
        return sym;
    }

    static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
