using Mnemo.Continual;

namespace Mnemo.Bench;

/// <summary>Resident memory over a long MeRGAN-RA training stretch (the method with the most temporary tensors per
/// step: replay of 4 earlier classes): a native tensor leak shows as RSS growing with the iteration count.</summary>
public static class SoakBench
{
    public static void Run(BenchOptions bench)
    {
        Console.WriteLine();
        Console.WriteLine($"Memory soak: {bench.SoakIterations} MeRGAN-RA iterations (2 critic steps, batch 64), RSS in MiB");
        using var data = BenchData.RandomDigits("soak");
        var options = new MerganOptions { Method = ContinualMethod.Ra, CriticIterations = 2 };
        using var models = new MerganModels(options, 10, 1);
        models.BeginTask(4);
        using var taskData = data.WhereClass(new[] { 4 });
        using var step = new MerganStep(models, taskData, new[] { 0, 1, 2, 3 }, 0.2);
        for (int i = 1; i <= 20; i++) step.Run(i).Dispose(); // warm-up: allocator pools and optimiser state settle
        double start = Timing.CurrentRssMiB();
        Console.WriteLine($"after 20 warm-up iterations: {start:0.0}");
        int every = Math.Max(1, bench.SoakIterations / 4), half = bench.SoakIterations / 2;
        double atHalf = start;
        for (int i = 1; i <= bench.SoakIterations; i++)
        {
            step.Run(20 + i).Dispose();
            if (i == half) atHalf = Timing.CurrentRssMiB();
            if (i % every == 0) Console.WriteLine($"after {i,5} iterations: {Timing.CurrentRssMiB():0.0}");
        }
        double end = Timing.CurrentRssMiB();
        // The first few hundred iterations fill libtorch's allocator caches; a leak shows as growth that goes on.
        Console.WriteLine($"RSS start {start:0.0} MiB, end {end:0.0} MiB; second half ({half} → {bench.SoakIterations}): " +
            $"{end - atHalf:+0.0;-0.0} MiB ({(end - atHalf) / Math.Max(1, bench.SoakIterations - half) * 1024:+0.0;-0.0} KiB/iteration)");
    }
}
