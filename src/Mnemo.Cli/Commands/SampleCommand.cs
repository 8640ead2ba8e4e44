using System.CommandLine;
using Mnemo.Continual;
using Mnemo.Evaluation;
using Mnemo.MemoryGan;
using Mnemo.SelfConditioned;
using Mnemo.Training;

namespace Mnemo.Cli.Commands;

/// <summary>`mnemo sample`: generated samples of a MeRGAN, Self-Cond or MemoryGAN run with the class, cluster or
/// memory slot each was generated for.</summary>
public static class SampleCommand
{
    public static Command Build()
    {
        var run = new Option<string>("--run") { Description = "A run folder (continual, selfcond or memorygan)", Required = true };
        var classes = new Option<string?>("--classes")
        {
            Description = "Ids to sample, e.g. 0-9 or 0,3: MeRGAN classes (default 0-9; label-free runs: cluster ids; dgr and lf-dgr, whose generators " +
                          "are unconditional: the images their solver assigns to the id, possibly fewer than --n), Self-Cond clusters, MemoryGAN slots " +
                          "(default for both: --n in all, drawn as training draws them)",
        };
        var n = new Option<int>("--n") { Description = "Samples per id (in all when Self-Cond/MemoryGAN ids are drawn)", DefaultValueFactory = _ => 1000 };
        var output = new Option<string>("--out")
        {
            Description = "FILE.npz (images uint8 N×H×W×C or 2-D points float32 N×2, with labels / clusters / slots int64) or a folder for PNGs per id",
            Required = true,
        };
        var seed = CommonOptions.Seed();
        var root = CommonOptions.DataRoot();
        var device = CommonOptions.Device("auto: CUDA when it can be loaded, else the CPU; continual runs only (Self-Cond and MemoryGAN runs sample on the CPU)");
        var command = new Command("sample", "Export generated samples of a trained run for outside evaluation") { run, classes, n, output, seed, device, root };
        command.SetAction(r => MnemoCli.Guard(() =>
        {
            var dir = r.GetValue(run)!;
            var ids = r.GetValue(classes) is { } spec ? CommonOptions.ParseClassList(spec) : null;
            var kind = RunFolder.Kind(dir);
            WrittenSamples? written = null;
            Progress.Run(p => written = kind switch
            {
                MemoryGanSystem.Kind => MemoryGanSampleExport.Export(dir, ids, r.GetValue(n), r.GetValue(output)!, r.GetValue(seed), p),
                SelfCondSystem.Kind => SelfCondSampleExport.Export(dir, ids, r.GetValue(n), r.GetValue(output)!, r.GetValue(seed), p),
                ContinualSystem.Kind => SampleExport.Export(dir, ids ?? CommonOptions.ParseClassList("0-9"), r.GetValue(n), r.GetValue(output)!, r.GetValue(seed), r.GetValue(root), p, r.GetValue(device)),
                _ => throw new MnemoException($"{dir} was written by '{kind}', which mnemo sample does not know"),
            });
            Console.WriteLine($"wrote {written!.Count} {written.Noun} to {r.GetValue(output)}");
            return 0;
        }));
        return command;
    }
}
