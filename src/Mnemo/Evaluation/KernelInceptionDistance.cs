using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>
/// KID (Bińkowski et al. 2018): the unbiased estimate of the squared MMD with the cubic polynomial kernel
/// k(x, y) = (xᵀy / d + 1)³, mean ± standard deviation (population, as numpy.std) over random subsets drawn without
/// replacement, as torch-fidelity's kid_subset_size / kid_subsets (defaults 1000 and 100).
/// </summary>
public static class KernelInceptionDistance
{
    public const int DefaultSubsetSize = 1000;
    public const int DefaultSubsets = 100;

    /// <summary>KID of N×D real and M×D fake features. Throws <see cref="MnemoException"/> when
    /// <paramref name="subsetSize"/> exceeds N or M (torch-fidelity refuses this too: shrinking the subsets silently
    /// would make every subset the whole set and the spread meaningless), is below 2, or <paramref name="subsets"/> &lt; 1.</summary>
    public static (double Mean, double Std) Compute(double[,] real, double[,] fake, int subsets = DefaultSubsets, int subsetSize = DefaultSubsetSize, int seed = 0)
    {
        int n = real.GetLength(0), m = fake.GetLength(0), d = real.GetLength(1);
        if (fake.GetLength(1) != d) throw new ArgumentException("feature dimensions differ");
        CheckSettings(n, m, subsets, subsetSize);
        var rng = new Random(seed);
        var values = new double[subsets];
        using var x = FrechetDistance.ToTensor(real);
        using var y = FrechetDistance.ToTensor(fake);
        for (int s = 0; s < subsets; s++)
        {
            using var scope = NewDisposeScope();
            var ix = tensor(Sample(rng, n, subsetSize).Select(i => (long)i).ToArray());
            var iy = tensor(Sample(rng, m, subsetSize).Select(i => (long)i).ToArray());
            values[s] = UnbiasedMmd2(x.index_select(0, ix), y.index_select(0, iy));
        }
        double mean = values.Average();
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        return (mean, std);
    }

    /// <summary>Refuses settings the sample counts cannot support, naming the setting.</summary>
    public static void CheckSettings(int realCount, int fakeCount, int subsets, int subsetSize)
    {
        if (subsetSize < 2) throw new MnemoException($"KID subset size must be at least 2, got {subsetSize}");
        if (subsets < 1) throw new MnemoException($"KID needs at least 1 subset, got {subsets}");
        foreach (var (side, count) in new[] { ("real", realCount), ("fake", fakeCount) })
            if (subsetSize > count)
                throw new MnemoException($"KID subset size {subsetSize} is larger than the {count} {side} images; use a subset size of at most {Math.Min(realCount, fakeCount)} (--kid-subset-size)");
    }

    /// <summary>Unbiased MMD² between two m×D float64 samples: the kernel means over distinct pairs within each set
    /// minus twice the mean over all cross pairs.</summary>
    public static double UnbiasedMmd2(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        long m = a.shape[0], d = a.shape[1];
        Tensor Kernel(Tensor p, Tensor q) => p.matmul(q.t()).div(d).add(1).pow(3);
        var kxx = Kernel(a, a);
        var kyy = Kernel(b, b);
        double offXX = kxx.sum().item<double>() - kxx.diagonal().sum().item<double>();
        double offYY = kyy.sum().item<double>() - kyy.diagonal().sum().item<double>();
        double cross = Kernel(a, b).sum().item<double>();
        return offXX / (m * (m - 1.0)) + offYY / (m * (m - 1.0)) - 2 * cross / ((double)m * m);
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
