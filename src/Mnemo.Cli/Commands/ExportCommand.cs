using System.CommandLine;
using Mnemo.Interop;

namespace Mnemo.Cli.Commands;

/// <summary>`mnemo export`: a run's trained networks as a PyTorch or safetensors state dict (docs/export.md).</summary>
public static class ExportCommand
{
    public static Command Build()
    {
        var run = new Option<string>("--run") { Description = "A run folder of any system (its newest checkpoint is exported)", Required = true };
        var output = new Option<string>("--out") { Description = "FILE.pt / FILE.pth (torch.load) or FILE.safetensors", Required = true };
        var reference = new Option<string?>("--reference") { Description = "MeRGAN runs: also write z, labels and Mnemo's images for them to this .safetensors file, to check a PyTorch port" };
        var n = new Option<int>("--n") { Description = "Images in the reference batch", DefaultValueFactory = _ => 16 };
        var seed = CommonOptions.Seed();
        var command = new Command("export", "Write a run's trained generator and critic/discriminator as PyTorch or safetensors weights")
            { run, output, reference, n, seed };
        command.SetAction(r => MnemoCli.Guard(() =>
        {
            var summary = RunExport.Export(r.GetValue(run)!, r.GetValue(output)!);
            Console.WriteLine($"wrote {string.Join(", ", summary.Networks)} ({summary.Tensors} tensors, {summary.Kind} at iteration {summary.Step}) to {r.GetValue(output)}");
            if (r.GetValue(reference) is { } path)
            {
                RunExport.WriteReferenceBatch(r.GetValue(run)!, path, r.GetValue(n), r.GetValue(seed));
                Console.WriteLine($"wrote a reference batch of {r.GetValue(n)} (z, labels, images) to {path}");
            }
            return 0;
        }));
        return command;
    }
}
