using System.CommandLine;
using Mnemo.MemoryGan;

namespace Mnemo.Cli.Commands;

/// <summary>`mnemo memorygan`: MemoryGAN and its ablations.</summary>
public static class MemoryGanCommand
{
    public static Command Build()
    {
        var dataset = new Option<string>("--dataset") { Description = "fashion-mnist, mnist, svhn, cifar10 or folder:PATH", DefaultValueFactory = _ => "fashion-mnist" };
        var profile = new Option<string>("--profile") { Description = "quick or paper", DefaultValueFactory = _ => "paper" };
        var iterations = new Option<int?>("--iterations") { Description = "Training iterations (paper: 1500 epochs)" };
        var memorySize = new Option<int?>("--memory-size") { Description = "Memory slots N (official: 4096 for Fashion-MNIST)" };
        var keyDim = new Option<int?>("--key-dim") { Description = "Key size M (official: 256)" };
        var topK = new Option<int?>("--top-k") { Description = "Slots in the lookup and update (official: 128)" };
        var miWeight = new Option<double?>("--mi-weight") { Description = "Weight of the mutual-information term (official: 1e-2)" };
        var noMemory = new Option<bool>("--no-memory") { Description = "Ablation: plain discriminator head, random unit codes for G" };
        var noMi = new Option<bool>("--no-mi") { Description = "Ablation: no mutual-information term" };
        var output = new Option<string?>("--out") { Description = "New run folder (default runs/memorygan-<time>)" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder" };
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var root = CommonOptions.DataRoot();
        var command = new Command("memorygan", "MemoryGAN: a discriminator with a vMF-mixture memory and a memory-conditional generator")
            { dataset, profile, iterations, memorySize, keyDim, topK, miWeight, noMemory, noMi, output, resume, seed, threads, root };
        command.SetAction(r => MnemoCli.Guard(() =>
        {
            Progress.Run(progress =>
            {
                if (r.GetValue(resume) is { } dir)
                {
                    MemoryGanExperiment.Resume(dir, progress);
                    progress.Message($"report: {Path.GetFullPath(Path.Combine(dir, "report.html"))}");
                    return;
                }
                var o = MemoryGanOptions.ForProfile(r.GetValue(profile)!, r.GetValue(dataset)!) with
                {
                    Seed = r.GetValue(seed), Threads = r.GetValue(threads), NoMemory = r.GetValue(noMemory),
                };
                if (r.GetValue(iterations) is { } it) o = o with { Iterations = it };
                if (r.GetValue(memorySize) is { } n) o = o with { MemorySize = n };
                if (r.GetValue(keyDim) is { } d) o = o with { KeyDim = d };
                if (r.GetValue(topK) is { } k) o = o with { TopK = k };
                if (r.GetValue(miWeight) is { } w) o = o with { MiWeight = w };
                if (r.GetValue(noMi)) o = o with { MiWeight = 0 };
                var outDir = r.GetValue(output) ?? Path.Combine("runs", $"memorygan-{DateTime.Now:yyyyMMdd-HHmmss}");
                MemoryGanExperiment.Start(o, outDir, CommonOptions.ResolveRoot(r.GetValue(root)), progress);
                progress.Message($"report: {Path.GetFullPath(Path.Combine(outDir, "report.html"))}");
            });
            return 0;
        }));
        return command;
    }
}
