using System.CommandLine;
using Mnemo.MemoryGan;

namespace Mnemo.Cli.Commands;

/// <summary>`mnemo memorygan`: MemoryGAN and its ablations.</summary>
public static class MemoryGanCommand
{
    public static Command Build()
    {
        var common = new TrainingCommand("fashion-mnist", "fashion-mnist, mnist, svhn, cifar10 or folder:PATH", "memorygan");
        var iterations = new Option<int?>("--iterations") { Description = "Training iterations (paper: 1500 epochs)" };
        var memorySize = new Option<int?>("--memory-size") { Description = "Memory slots N (official: 4096 for Fashion-MNIST)" };
        var keyDim = new Option<int?>("--key-dim") { Description = "Key size M (official: 256)" };
        var topK = new Option<int?>("--top-k") { Description = "Slots in the lookup and update (official: 128)" };
        var miWeight = new Option<double?>("--mi-weight") { Description = "Weight of the mutual-information term (official: 1e-2)" };
        var histogramUpdate = new Option<string?>("--histogram-update") { Description = "How EM raises the slot histogram: official (the official code, default) or paper (the paper's formula)" };
        var generatorLoss = new Option<string?>("--generator-loss") { Description = "The generator's GAN loss: saturating (the official default 'jsd') or non-saturating (the official 'alternative')" };
        var noMemory = new Option<bool>("--no-memory") { Description = "Ablation: plain discriminator head, random unit codes for G" };
        var noMi = new Option<bool>("--no-mi") { Description = "Ablation: no mutual-information term" };
        var command = new Command("memorygan", "MemoryGAN: a discriminator with a vMF-mixture memory and a memory-conditional generator")
            { iterations, memorySize, keyDim, topK, miWeight, histogramUpdate, generatorLoss, noMemory, noMi };
        common.AddTo(command);
        command.SetAction(r => common.StartOrResume(r, () =>
        {
            var o = MemoryGanOptions.ForProfile(r.GetValue(common.Profile)!, r.GetValue(common.Dataset)!) with
            {
                Seed = r.GetValue(common.Seed), Threads = r.GetValue(common.Threads),
                Method = r.GetValue(noMemory) ? MemoryGanMethod.NoMemory : MemoryGanMethod.Memory,
            };
            if (r.GetValue(iterations) is { } it) o = o with { Iterations = it };
            if (r.GetValue(memorySize) is { } n) o = o with { MemorySize = n };
            if (r.GetValue(keyDim) is { } d) o = o with { KeyDim = d };
            if (r.GetValue(topK) is { } k) o = o with { TopK = k };
            if (r.GetValue(miWeight) is { } w) o = o with { MiWeight = w };
            if (r.GetValue(noMi)) o = o with { MiWeight = 0 };
            if (r.GetValue(generatorLoss) is { } gl) o = o with { GeneratorLoss = EnumIds.Parse<GeneratorLoss>(gl, "generator loss") };
            if (r.GetValue(histogramUpdate) is { } hu) o = o with { HistogramUpdate = EnumIds.Parse<HistogramUpdate>(hu, "histogram update") };
            o.Validate();
            return o;
        }, _ => TrainingCommand.DefaultFolder("memorygan"), MemoryGanExperiment.Start, MemoryGanExperiment.Resume,
            (final, progress) => TrainingCommand.PrintFinal(final.Scalars(), progress)));
        return command;
    }
}
