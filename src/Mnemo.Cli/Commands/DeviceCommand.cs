using System.CommandLine;
using Mnemo.Training;

namespace Mnemo.Cli.Commands;

/// <summary>`mnemo device`: what CUDA loading finds here (info) and the device-sensitive checks on a device against
/// the CPU (check).</summary>
public static class DeviceCommand
{
    public static Command Build()
    {
        var device = new Command("device", "Which compute devices this Mnemo can use, and the device-sensitive checks");
        var info = new Command("info", "What loading CUDA found (libtorch_cuda, GPUs) and what --device auto picks");
        info.SetAction(_ => MnemoCli.Guard(() =>
        {
            var probe = CudaProbe.Result;
            Console.WriteLine($"CUDA: {(probe.Available ? $"available, {probe.DeviceCount} device(s)" : "not available")}");
            Console.WriteLine($"tried: {probe.Tried}");
            Console.WriteLine($"--device auto: {ComputeDevice.Resolve("auto").Name}");
            return 0;
        }));
        var request = CommonOptions.Device();
        var check = new Command("check", "Tensors, dataset batches, device-side losses, a MeRGAN critic step (outputs, gradients with the " +
                                         "gradient penalty, Adam) and checkpoints on the device against the CPU; exit code 1 when one fails") { request };
        check.SetAction(r => MnemoCli.Guard(() =>
        {
            var compute = ComputeDevice.Resolve(r.GetValue(request));
            Console.WriteLine($"device: {compute.Description}");
            var results = DeviceCheck.Run(compute);
            foreach (var c in results) Console.WriteLine($"{(c.Passed ? "ok    " : "FAILED")} {c.Name}: {c.Detail}");
            int failed = results.Count(c => !c.Passed);
            Console.WriteLine(failed == 0 ? $"all {results.Count} checks passed on {compute.Name}" : $"{failed} of {results.Count} checks failed on {compute.Name}");
            return failed == 0 ? 0 : 1;
        }));
        device.Subcommands.Add(info);
        device.Subcommands.Add(check);
        return device;
    }
}
