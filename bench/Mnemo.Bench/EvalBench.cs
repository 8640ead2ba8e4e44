using System.Diagnostics;
using Mnemo.Evaluation;

namespace Mnemo.Bench;

/// <summary>The fixed cost of one FID evaluation at InceptionV3's 2048 dimensions: the statistics of 10,000 feature
/// vectors and the matrix part (two symmetric eigendecompositions, libtorch float64).</summary>
public static class EvalBench
{
    public const int Dimensions = 2048;

    public static void Run(BenchOptions bench)
    {
        Console.WriteLine();
        Console.WriteLine($"FID at {Dimensions} dimensions (InceptionV3 pool features)");
        var rng = new Random(1);
        var sw = Stopwatch.StartNew();
        var (a, b) = (Statistics(rng, 0.0), Statistics(rng, 0.1));
        Console.WriteLine($"statistics of 10000×{Dimensions} features: {sw.Elapsed.TotalSeconds / 2:0.00} s per set");
        double fid = 0;
        double seconds = Timing.Median(() => fid = FrechetDistance.Compute(a, b), bench.Warmup, bench.Repeats);
        Console.WriteLine($"matrix part (Fréchet distance of two {Dimensions}-d Gaussians): {seconds:0.00} s (FID of the random sets {fid:0.000})");
    }

    /// <summary>Statistics of 10,000 correlated random feature vectors (a random linear mix of 512 factors plus
    /// noise, shifted by <paramref name="shift"/>), so the covariance has the spread of eigenvalues real ones have.</summary>
    static GaussianStatistics Statistics(Random rng, double shift)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var gen = new TorchSharp.torch.Generator((ulong)rng.Next());
        var mix = TorchSharp.torch.randn(512, Dimensions, generator: gen, dtype: TorchSharp.torch.ScalarType.Float64);
        var x = TorchSharp.torch.randn(10_000, 512, generator: gen, dtype: TorchSharp.torch.ScalarType.Float64).matmul(mix)
            .add(TorchSharp.torch.randn(10_000, Dimensions, generator: gen, dtype: TorchSharp.torch.ScalarType.Float64).mul(0.1)).add(shift);
        var values = x.contiguous().data<double>().ToArray();
        var features = new double[10_000, Dimensions];
        Buffer.BlockCopy(values, 0, features, 0, values.Length * sizeof(double));
        return GaussianStatistics.FromFeatures(features);
    }
}
