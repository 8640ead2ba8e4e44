using Mnemo.Continual;
using static TorchSharp.torch;

namespace Mnemo.Bench;

/// <summary>The MeRGAN-RA quick-profile iteration (2 critic steps, task 5 of 10) with one speed lever at a time
/// (issue 13, item 2): each row against the float32 baseline measured in the same process.</summary>
public static class SpeedLeversBench
{
    public static void Run(BenchOptions bench)
    {
        Console.WriteLine();
        Console.WriteLine("MeRGAN-RA quick iteration (batch 64, 2 critic steps, task 5 of 10): speed levers one at a time");
        using var data = BenchData.RandomDigits("levers");
        var baseline = new MerganOptions { Method = ContinualMethod.Ra, CriticIterations = 2 };
        var levers = new (string Name, MerganOptions Options)[]
        {
            ("float32 (baseline)", baseline),
            ("critic convolutions in bfloat16", baseline with { CriticPrecision = ComputePrecision.Bfloat16 }),
            ("generator weight average (EMA) update", baseline with { GeneratorEmaDecay = 0.99 }),
            ("1 critic step per generator step", baseline with { CriticIterations = 1 }),
        };
        double? reference = null;
        Console.WriteLine($"{"lever",-40} {"s/iter",8} {"÷ baseline",10}");
        foreach (var (name, options) in levers)
        {
            using var models = new MerganModels(options, 10, 1);
            models.BeginTask(4);
            using var taskData = data.WhereClass(new[] { 4 });
            using var step = new MerganStep(models, taskData, new[] { 0, 1, 2, 3 }, 0.2);
            int iteration = 1;
            double seconds = Timing.Median(() => step.Run(iteration++).Dispose(), bench.Warmup, bench.Repeats);
            reference ??= seconds;
            Console.WriteLine($"{name,-40} {seconds,8:0.000} {seconds / reference.Value,10:0.00}");
        }
    }
}
