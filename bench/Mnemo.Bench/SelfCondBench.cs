using System.Diagnostics;
using Mnemo.Data;
using Mnemo.SelfConditioned;
using static TorchSharp.torch;

namespace Mnemo.Bench;

/// <summary>The Self-Conditioned GAN's 2-D training step (MLP G and maxout D, batch 100) and its clustering.</summary>
public static class SelfCondBench
{
    public static void Run(BenchOptions bench)
    {
        Console.WriteLine();
        Console.WriteLine("Self-Conditioned GAN, 2-D ring, batch 100, k = 50");
        var options = SelfCondOptions.ForProfile("paper", "ring", "selfcond");
        using var models = new SelfCondModels(options, 8, 0);
        var (points, _) = Mixture2D.Ring().Sample(10_000, new Random(1));
        using (points)
        {
            var features = models.Discriminator.Features(points).detach();
            var sw = Stopwatch.StartNew();
            var kmeans = KMeans.Fit(features, 50, new Random(2));
            Console.WriteLine($"k-means++ (10 initialisations) on 10000×200: {sw.Elapsed.TotalSeconds:0.00} s, {kmeans.Iterations} Lloyd iterations in the best run");
            double step = Timing.Median(() =>
            {
                using var scope = NewDisposeScope();
                var idx = randint(0, 10_000, 100, dtype: ScalarType.Int64);
                var real = points.index_select(0, idx);
                var y = tensor(kmeans.Predict(models.Discriminator.Features(real).detach()));
                models.GeneratorOptimizer.zero_grad();
                var g = nn.functional.binary_cross_entropy_with_logits(models.Discriminator.forward(models.Generator.forward(randn(100, 2), y), y), ones(100));
                g.backward();
                models.GeneratorOptimizer.step();
                models.DiscriminatorOptimizer.zero_grad();
                var d = nn.functional.binary_cross_entropy_with_logits(models.Discriminator.forward(real, y), ones(100));
                d.backward();
                models.DiscriminatorOptimizer.step();
            }, bench.Warmup * 10, bench.Repeats * 20);
            Console.WriteLine($"training step: {step * 1000:0.0} ms ({1 / step:0} it/s)");
        }
    }
}
