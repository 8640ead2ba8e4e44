using Mnemo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Tests.Training;

/// <summary>Device requests: their syntax, auto on a machine without CUDA, and the one clear error when CUDA is asked
/// for but cannot be loaded (this project's machines have the CPU build of libtorch; on a CUDA machine the tests that
/// need its absence are skipped).</summary>
public class ComputeDeviceTests
{
    [Theory]
    [InlineData("auto", "auto")]
    [InlineData("CPU", "cpu")]
    [InlineData(" cuda ", "cuda")]
    [InlineData("cuda:3", "cuda:3")]
    [InlineData("CUDA:0", "cuda:0")]
    public void RequestsAreNormalised(string request, string expected) => Assert.Equal(expected, ComputeDevice.Normalize(request));

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("mps")]
    public void BadRequestsNameTheChoices(string request)
    {
        var e = Assert.Throws<MnemoException>(() => ComputeDevice.Resolve(request));
        Assert.Equal($"unknown device '{request}'; choose auto|cpu|cuda|cuda:N (e.g. --device cuda:1)", e.Message);
    }

    [Fact]
    public void CpuIsTheCpu()
    {
        var cpu = ComputeDevice.Resolve("cpu");
        Assert.Equal(DeviceType.CPU, cpu.Device.type);
        Assert.Equal("cpu", cpu.Name);
        Assert.Equal("cpu", cpu.Description);
        Assert.False(cpu.IsCuda);
    }

    [SkippableFact]
    public void AutoIsTheCpuWithoutCuda()
    {
        SkipTestException.If(CudaProbe.Result.Available, "this machine has CUDA");
        var auto = ComputeDevice.Resolve(null);
        Assert.Equal(DeviceType.CPU, auto.Device.type);
        Assert.Equal("cpu (requested: auto)", auto.Description);
    }

    [SkippableFact]
    public void CudaWithoutCudaIsOneClearErrorSayingWhatWasTriedAndWhatToInstall()
    {
        SkipTestException.If(CudaProbe.Result.Available, "this machine has CUDA");
        foreach (var request in new[] { "cuda", "cuda:1" })
            CudaRefused(request);
    }

    static void CudaRefused(string request)
    {
        var e = Assert.Throws<MnemoException>(() => ComputeDevice.Resolve(request));
        Assert.StartsWith($"--device {request}: CUDA cannot be used in this process. Tried: loading libtorch_cuda.so", e.Message);
        Assert.Contains("torch.cuda.is_available(): false", e.Message);
        Assert.Contains("-p:TorchBackend=cuda", e.Message);
        Assert.Contains("TorchSharp-cuda-linux", e.Message);
        Assert.Contains("LD_LIBRARY_PATH", e.Message);
        Assert.Contains("--device cpu", e.Message);
        Assert.DoesNotContain("\n", e.Message);
        // The probe leaves TorchSharp usable on the CPU.
        using var x = ones(2).add(1);
        Assert.Equal(4f, x.sum().item<float>());
    }

    [Fact]
    public void SameDeviceTreatsAnIndexlessCudaAsDeviceZero()
    {
        Assert.True(ComputeDevice.SameDevice(new Device(DeviceType.CUDA, -1), new Device(DeviceType.CUDA, 0)));
        Assert.False(ComputeDevice.SameDevice(new Device(DeviceType.CUDA, 1), new Device(DeviceType.CUDA, 0)));
        Assert.False(ComputeDevice.SameDevice(CPU, new Device(DeviceType.CUDA, 0)));
    }
}
