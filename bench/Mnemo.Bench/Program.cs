using System.Diagnostics;
using Mnemo.Bench;

// Prints the speed and memory figures of Mnemo on this machine (see bench/README.md).
if (args.Length == 5 && args[0] == SideBySideBench.WorkerFlag) // a child of the side-by-side group
    return SideBySideBench.Worker(int.Parse(args[2]), double.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture));
BenchOptions options;
try { options = BenchOptions.Parse(args); }
catch (ArgumentException e) { Console.Error.WriteLine($"error: {e.Message}"); return 1; }
TorchSharp.torch.set_num_threads(options.Threads);
Console.WriteLine($"Mnemo benchmarks: {Environment.ProcessorCount} logical cores, {options.Threads} torch threads, {options.Repeats} timed runs after {options.Warmup} warm-up");
var sw = Stopwatch.StartNew();
MachinePeak.Print(options);
if (options.Run("mergan")) MerganBench.Run(options);
if (options.Run("levers")) SpeedLeversBench.Run(options);
if (options.Run("sampling")) SamplingBench.Run(options);
if (options.Run("selfcond")) { SelfCondBench.Run(options); StackedMnistBench.Run(options); }
if (options.Run("memorygan")) MemoryGanBench.Run(options);
if (options.Run("eval")) EvalBench.Run(options);
if (options.Run("soak")) SoakBench.Run(options);
if (options.Run("sidebyside")) SideBySideBench.Run(options);
Console.WriteLine($"total {sw.Elapsed.TotalSeconds:0.0} s");
return 0;
