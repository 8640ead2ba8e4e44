using System.CommandLine;
using Mnemo.Continual;

namespace Mnemo.Cli.Commands;

public static class SampleCommand
{
    public static Command Build()
    {
        var run = new Option<string>("--run") { Description = "A continual run folder", Required = true };
        var classes = new Option<string>("--classes") { Description = "Classes to sample, e.g. 0-9 or 0,3", DefaultValueFactory = _ => "0-9" };
        var n = new Option<int>("--n") { Description = "Images per class", DefaultValueFactory = _ => 1000 };
        var output = new Option<string>("--out") { Description = "FILE.npz (images uint8 N×H×W×C, labels int64) or a folder for PNGs", Required = true };
        var seed = CommonOptions.Seed();
        var root = CommonOptions.DataRoot();
        var device = CommonOptions.Device();
        var command = new Command("sample", "Export generated images of a trained run for outside evaluation") { run, classes, n, output, seed, device, root };
        command.SetAction(r => MnemoCli.Guard(() =>
        {
            int count = 0;
            Progress.Run(p => count = SampleExport.Export(r.GetValue(run)!, CommonOptions.ParseClassList(r.GetValue(classes)!), r.GetValue(n),
                r.GetValue(output)!, r.GetValue(seed), r.GetValue(root), p, r.GetValue(device)));
            Console.WriteLine($"wrote {count} images to {r.GetValue(output)}");
            return 0;
        }));
        return command;
    }
}
