using System.Diagnostics;
using Mnemo.Bench;

// Prints the speed figures of Mnemo's training steps on this machine (see bench/README.md).
var options = BenchOptions.Parse(args);
TorchSharp.torch.set_num_threads(options.Threads);
Console.WriteLine($"Mnemo benchmarks: {Environment.ProcessorCount} logical cores, {options.Threads} torch threads, {options.Repeats} timed runs after {options.Warmup} warm-up");
var sw = Stopwatch.StartNew();
if (options.Run("mergan")) MerganBench.Run(options);
if (options.Run("selfcond")) SelfCondBench.Run(options);
Console.WriteLine($"total {sw.Elapsed.TotalSeconds:0.0} s");
