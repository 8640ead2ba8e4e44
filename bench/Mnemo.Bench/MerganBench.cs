using Mnemo.Continual;
using Mnemo.Networks;
using static TorchSharp.torch;

namespace Mnemo.Bench;

/// <summary>Seconds per MeRGAN iteration (one generator step + the critic steps) for each method, on random 32×32 data
/// shaped like MNIST, in the middle of a sequence (task 5 of 10, so replay terms cover 4 earlier classes); the plain
/// iteration (jt) also against the same iteration in PyTorch.</summary>
public static class MerganBench
{
    public static void Run(BenchOptions bench)
    {
        var device = Mnemo.Training.ComputeDevice.Resolve(bench.Device);
        Console.WriteLine();
        Console.WriteLine($"MeRGAN 32x32 AC-GAN + WGAN-GP, batch 64, z 128, DIM 32, 10 classes, task 5 of 10, on {device.Description}");
        using var hostData = BenchData.RandomDigits("bench");
        using var data = hostData.To(device.Device);
        double flopsG, flopsD;
        using (var probe = new MerganModels(new MerganOptions(), 10, 1))
        {
            flopsG = ModelFlops.MerganGeneratorForward((MerganGenerator)probe.Generator);
            flopsD = ModelFlops.AcganCriticForward((AcganCritic)probe.Critic, 32);
        }
        Console.WriteLine($"model FLOPs per image, forward: generator {flopsG / 1e6:0.00} M, critic {flopsD / 1e6:0.00} M");
        Console.WriteLine($"{"method",-6} {"critic/G",8} {"s/iter",8} {"img/s",8} {"GFLOP/s",8} {"PyTorch",8} {"ratio",6}");
        foreach (var critic in new[] { 5, 2 })
            foreach (var method in ContinualMethods.All)
            {
                var options = new MerganOptions { Method = method, CriticIterations = critic };
                using var models = new MerganModels(options, 10, 1, device.Device);
                models.BeginTask(4);
                var previous = new[] { 0, 1, 2, 3 };
                using var taskData = data.WhereClass(method == ContinualMethod.Jt ? new[] { 0, 1, 2, 3, 4 } : new[] { 4 });
                if (method == ContinualMethod.Ewc)
                    models.Ewc!.Consolidate(models.Generator, FisherInformation.OfGenerator(models, previous, 2));
                using var step = new MerganStep(models, taskData, method == ContinualMethod.Jt ? Array.Empty<int>() : previous, 0.2);
                int iteration = 1;
                // Reading the iteration's losses waits for the device: the time is the iteration's, not its launches'.
                double seconds = Timing.Median(() => { using var losses = step.Run(iteration++); losses.Read(); }, bench.Warmup, bench.Repeats);
                // Images through the generator per iteration: one G batch plus one per critic step.
                double images = options.BatchSize * (1 + critic);
                string gflops = "", reference = "", ratio = "";
                if (method == ContinualMethod.Jt)
                {
                    // Only the plain iteration has a FLOP count and a PyTorch twin; the others add replay terms.
                    gflops = $"{ModelFlops.MerganIterationPerImage(flopsG, flopsD, critic) * options.BatchSize / seconds / 1e9:0.0}";
                    if (bench.PyTorch && PyTorchReference.SecondsPerIteration(bench.Threads, critic, bench.Warmup, bench.Repeats, device.Name) is { } py)
                        (reference, ratio) = ($"{py:0.000}", $"{seconds / py:0.00}");
                }
                Console.WriteLine($"{method.Id(),-6} {critic,8} {seconds,8:0.000} {images / seconds,8:0} {gflops,8} {reference,8} {ratio,6}");
            }
        if (PyTorchReference.Version is { } v) Console.WriteLine($"PyTorch {v}; ratio = Mnemo s/iter ÷ PyTorch s/iter (below 1: Mnemo faster)");
        Console.WriteLine($"peak RSS {Timing.PeakRssMiB():0} MiB");
    }
}
