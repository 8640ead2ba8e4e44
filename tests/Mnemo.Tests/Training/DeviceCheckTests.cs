using Mnemo.Tests.Cli;
using Mnemo.Training;

namespace Mnemo.Tests.Training;

/// <summary>The device check that scripts/gpu-check.sh runs on a GPU: on the CPU against itself every check passes
/// exactly, through the library and through `mnemo device check`.</summary>
[Collection("training")]
public class DeviceCheckTests
{
    [Fact]
    public void EveryCheckPassesOnTheCpu()
    {
        var results = DeviceCheck.Run(ComputeDevice.Cpu);
        Assert.Equal(5, results.Count);
        foreach (var r in results) Assert.True(r.Passed, $"{r.Name}: {r.Detail}");
        Assert.Contains("largest relative difference 0", results.Single(r => r.Name.StartsWith("MeRGAN")).Detail);
        Assert.Contains("byte-identical", results.Single(r => r.Name.StartsWith("checkpoint")).Detail);
    }

    [Fact]
    public void TheCommandPrintsEachCheckAndSucceedsOnTheCpu()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "device", "check", "--device", "cpu");
        Assert.True(r.Code == 0, r.Stdout + r.Stderr);
        Assert.StartsWith("device: cpu", r.Stdout);
        Assert.Contains("all 5 checks passed on cpu", r.Stdout);
        var info = CliProcess.Run(dir.Path, "device", "info");
        Assert.Equal(0, info.Code);
        Assert.Contains("tried: loading libtorch_cuda.so", info.Stdout);
    }
}
