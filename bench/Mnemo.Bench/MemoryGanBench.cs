using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.MemoryGan;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Bench;

/// <summary>MemoryGAN's training iteration at the quick profile's shapes (batch 64, 32×32, memory of 4,096 slots
/// of 256-d keys, top-k 128): the whole iteration with the memory and with the no-memory ablation's plain head, and
/// the memory's own operations on their own (three top-k lookups with their backward, three updates — replacement
/// or incremental EM — and two draws of real-valued slots per iteration, as MemoryGanSystem.Step does them), so
/// the memory's share of an iteration can be read two ways. Random pixels: timings depend on shapes only, except
/// that the split between replacements and EM updates follows the data (real training replaces ≈ 1–5 % of queries).</summary>
public static class MemoryGanBench
{
    public static void Run(BenchOptions bench)
    {
        Console.WriteLine();
        var options = MemoryGanOptions.ForProfile("quick", "fashion-mnist") with { Threads = bench.Threads, LogEvery = int.MaxValue };
        Console.WriteLine($"MemoryGAN, batch {options.BatchSize}, 32×32, memory {options.MemorySize} × {options.KeyDim}, top-k {options.TopK} (quick profile)");
        Console.WriteLine($"{"part",-66} {"wall ms",8} {"CPU ms",8}");
        using var temp = new TempFolder();
        using var data = new DatasetSplit(BenchData.RandomDigits("train"), BenchData.RandomDigits("test"));
        using var classifier = EvaluationClassifier.LoadOrTrain(temp.Path, "bench", data, trainSteps: 1);
        var withMemory = Iteration(options, data, classifier, temp, bench);
        var plain = Iteration(options with { Method = MemoryGanMethod.NoMemory }, data, classifier, temp, bench);
        Row("iteration with the memory (median)", withMemory);
        Row("iteration without memory (plain head; the no-memory ablation)", plain);
        var memory = MemoryOperations(options, bench);
        Row("the memory's operations of one iteration, on their own", memory);
        Console.WriteLine($"memory's share of an iteration (CPU): {memory.Cpu / withMemory.Cpu:P0} measured on its own, " +
                          $"{(withMemory.Cpu - plain.Cpu) / withMemory.Cpu:P0} as the difference to the ablation");
    }

    static void Row(string name, (double Wall, double Cpu) t) => Console.WriteLine($"{name,-66} {t.Wall * 1000,8:0.0} {t.Cpu * 1000,8:0.0}");

    /// <summary>Median wall and CPU seconds of MemoryGanSystem.Step after warm-up steps that fill the memory.</summary>
    static (double Wall, double Cpu) Iteration(MemoryGanOptions options, DatasetSplit data, EvaluationClassifier classifier, TempFolder temp, BenchOptions bench)
    {
        var run = RunFolder.Create(Path.Combine(temp.Path, options.Method.Id()), options.ToJson());
        using var system = new MemoryGanSystem(options, run, data, classifier, NullProgress.Instance);
        long step = 0;
        void One() => system.Step(new StepPosition(0, (int)step, ++step)).Dispose();
        for (int i = 0; i < 20 * bench.Warmup; i++) One();
        return Median(Enumerable.Range(0, 10 * bench.Repeats).Select(_ => Timing.Once(One)).ToList());
    }

    /// <summary>Median time of one iteration's memory work on random unit queries, after 100 batches of writes.</summary>
    static (double Wall, double Cpu) MemoryOperations(MemoryGanOptions options, BenchOptions bench)
    {
        using var memory = DiscriminativeMemory.For(options);
        int b = options.BatchSize;
        using var real = ones(b);
        using var fake = zeros(b);
        for (int i = 0; i < 100; i++)
        {
            using var q = randn(b, options.KeyDim);
            memory.Update(q, i % 2 == 0 ? real : fake);
        }
        void One()
        {
            using var scope = NewDisposeScope();
            memory.SampleRealSlots(b);
            memory.SampleRealSlots(b);
            for (int j = 0; j < 3; j++)
            {
                var q = randn(b, options.KeyDim).requires_grad_();
                memory.RealProbability(q).sum().backward();
                memory.Update(q.detach(), j == 0 ? real : fake);
            }
        }
        for (int i = 0; i < 20 * bench.Warmup; i++) One();
        return Median(Enumerable.Range(0, 10 * bench.Repeats).Select(_ => Timing.Once(One)).ToList());
    }

    static (double Wall, double Cpu) Median(List<(double Wall, double Cpu)> times) =>
        (times.Select(t => t.Wall).Order().ElementAt(times.Count / 2), times.Select(t => t.Cpu).Order().ElementAt(times.Count / 2));

    sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("mnemo-bench-").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
