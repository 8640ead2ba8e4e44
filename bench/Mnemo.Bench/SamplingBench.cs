using System.Diagnostics;
using Mnemo.Continual;
using Mnemo.Networks;
using static TorchSharp.torch;

namespace Mnemo.Bench;

/// <summary>Generating 10,000 MeRGAN images (1,000 per class) as `mnemo sample` does, in single-class batches of 64
/// under no_grad, and for comparison in batches of 500 under inference mode.</summary>
public static class SamplingBench
{
    public static void Run(BenchOptions bench)
    {
        Console.WriteLine();
        Console.WriteLine("Sampling 10,000 MeRGAN 32x32 images (1,000 per class)");
        using var models = new MerganModels(new MerganOptions(), 10, 1);
        double flopsPerImage = ModelFlops.MerganGeneratorForward((MerganGenerator)models.Generator);
        Console.WriteLine($"{"mode",-34} {"s",7} {"img/s",8} {"GFLOP/s",8}");
        Report("batches of 64, no_grad (mnemo sample)", () =>
        {
            for (int c = 0; c < 10; c++) GeneratorSampling.SampleClass(models, c, 1000).Dispose();
        });
        Report("batches of 500, inference_mode", () =>
        {
            using var mode = inference_mode();
            for (int c = 0; c < 10; c++)
                for (int i = 0; i < 2; i++)
                {
                    using var scope = NewDisposeScope();
                    models.Generator.forward(randn(500, models.Options.ZDim), full(500, (long)c, dtype: ScalarType.Int64));
                }
        });
        Console.WriteLine($"peak RSS {Timing.PeakRssMiB():0} MiB");

        void Report(string name, Action sample)
        {
            double seconds = Timing.Median(sample, Math.Min(bench.Warmup, 1), Math.Max(3, bench.Repeats / 2));
            Console.WriteLine($"{name,-34} {seconds,7:0.000} {10_000 / seconds,8:0} {10_000 * flopsPerImage / seconds / 1e9,8:0.0}");
        }
    }
}
