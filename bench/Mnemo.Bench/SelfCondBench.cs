using System.Diagnostics;
using Mnemo.Data;
using Mnemo.SelfConditioned;
using static TorchSharp.torch;

namespace Mnemo.Bench;

/// <summary>The Self-Conditioned GAN's 2-D training step (MLP G and maxout D, batch 100, labels from k-means on
/// D's features, as the trainer runs it) and its clustering.</summary>
public static class SelfCondBench
{
    public static void Run(BenchOptions bench)
    {
        Console.WriteLine();
        Console.WriteLine("Self-Conditioned GAN, 2-D ring, batch 100, k = 50");
        var options = SelfCondOptions.ForProfile("paper", "ring", SelfCondMethod.Selfcond);
        using var models = new SelfCondModels(options, 8, 0);
        var (points, modes) = Mixture2D.Ring().Sample(10_000, new Random(1));
        using var train = new SampleSet(points, modes, 8);
        using var features = models.Discriminator.Features(points).detach();
        var sw = Stopwatch.StartNew();
        var kmeans = KMeans.Fit(features, options.K, new Random(2));
        Console.WriteLine($"k-means++ (10 initialisations) on 10000×{features.shape[1]}: {sw.Elapsed.TotalSeconds:0.00} s, {kmeans.Iterations} Lloyd iterations in the best run");
        var step = new SelfCondStep(models, train, (x, _) =>
        {
            using var f = models.Discriminator.Features(x).detach();
            return tensor(kmeans.Predict(f));
        }, options.BatchSize, options.ZDim);
        double seconds = Timing.Median(() => step.Run().Dispose(), bench.Warmup * 10, bench.Repeats * 20);
        // G step: G forward + backward, D forward + input backward; D step: G forward, D forward + backward on real
        // and fake; labelling the real batch: one more D forward.
        double g = ModelFlops.LinearForward(models.Generator), d = ModelFlops.LinearForward(models.Discriminator);
        double flops = options.BatchSize * (4 * g + 9 * d);
        Console.WriteLine($"training step: {seconds * 1000:0.00} ms ({1 / seconds:0} it/s, {options.BatchSize / seconds:0} samples/s, {flops / seconds / 1e9:0.0} GFLOP/s; " +
            $"forward FLOPs per sample: G {g / 1e6:0.00} M, D {d / 1e6:0.00} M)");
    }
}
