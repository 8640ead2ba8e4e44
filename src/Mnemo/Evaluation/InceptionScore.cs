namespace Mnemo.Evaluation;

/// <summary>
/// Inception Score (Salimans et al. 2016): exp(E_x KL(p(y|x) ‖ p(y))), computed on each of <c>splits</c> equal
/// consecutive parts of the samples and reported as mean ± standard deviation over the parts (10 splits, as
/// the reference implementations). For InceptionV3 the logits are those without the final layer's bias
/// (<see cref="InceptionFeatures.Extract"/>), as in the original TF code and torch-fidelity.
/// </summary>
public static class InceptionScore
{
    /// <summary>IS of N×K logits. Throws <see cref="MnemoException"/> for splits &lt; 1 or N &lt; splits.</summary>
    public static (double Mean, double Std) FromLogits(double[,] logits, int splits = 10)
    {
        int n = logits.GetLength(0), k = logits.GetLength(1);
        if (splits < 1) throw new MnemoException($"the Inception Score needs at least 1 split, got {splits}");
        if (n < splits) throw new MnemoException($"the Inception Score with {splits} splits needs at least {splits} images, got {n}");
        var p = new double[n, k];
        for (int i = 0; i < n; i++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < k; j++) max = Math.Max(max, logits[i, j]);
            double sum = 0;
            for (int j = 0; j < k; j++) sum += p[i, j] = Math.Exp(logits[i, j] - max);
            for (int j = 0; j < k; j++) p[i, j] /= sum;
        }
        var scores = new double[splits];
        for (int s = 0; s < splits; s++)
        {
            int start = s * n / splits, end = (s + 1) * n / splits;
            var marginal = new double[k];
            for (int i = start; i < end; i++)
                for (int j = 0; j < k; j++) marginal[j] += p[i, j] / (end - start);
            double kl = 0;
            for (int i = start; i < end; i++)
                for (int j = 0; j < k; j++)
                    if (p[i, j] > 0) kl += p[i, j] * (Math.Log(p[i, j]) - Math.Log(marginal[j]));
            scores[s] = Math.Exp(kl / (end - start));
        }
        double mean = scores.Average();
        return (mean, Math.Sqrt(scores.Sum(v => (v - mean) * (v - mean)) / splits));
    }
}
