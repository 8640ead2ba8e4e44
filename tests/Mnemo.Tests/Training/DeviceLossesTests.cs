using Mnemo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Tests.Training;

/// <summary>An iteration's losses kept on the device until the engine reads them.</summary>
public class DeviceLossesTests
{
    sealed record Three(double A, double? B, double C) : IStepLosses
    {
        public IEnumerable<double?> Values => [A, B, C];
        public string Summary => $"{A} {B} {C}";
    }

    [Fact]
    public void TermsAreStackedOnTheirDeviceAndReadBackInOrderWithAbsentOnesNull()
    {
        Tensor a, c;
        DeviceLosses<Three> losses;
        using (var scope = NewDisposeScope())
        {
            a = tensor(1.5f);
            c = tensor(new[] { -2.25 }); // one element of another type and shape
            losses = DeviceLosses<Three>.Of(v => new Three(v[0]!.Value, v[1], v[2]!.Value), a, null, c);
        }
        using (losses)
        {
            // The stacked values outlive the scope that made the terms.
            Assert.Equal(new long[] { 2 }, losses.Values.shape);
            Assert.Equal(ScalarType.Float64, losses.Values.dtype);
            Assert.Equal(DeviceType.CPU, losses.Values.device_type);
            Assert.Equal(new Three(1.5, null, -2.25), losses.Read());
        }
    }

    [Fact]
    public void AWideTermOrNoTermIsRefused()
    {
        using var wide = ones(2);
        Assert.Contains("scalar", Assert.Throws<ArgumentException>(() => DeviceLosses<Three>.Of(v => new Three(0, null, 0), wide)).Message);
        Assert.Throws<ArgumentException>(() => DeviceLosses<Three>.Of(v => new Three(0, null, 0), null, null));
    }

    [Fact]
    public void HostLossesReadBackAsThemselves()
    {
        var three = new Three(1, null, double.NaN);
        using var losses = DeviceLosses<Three>.OnHost(three);
        Assert.Same(three, losses.Read());
        Assert.Equal(2, losses.Values.shape[0]);
        Assert.False(losses.Values.isfinite().all().item<bool>());
    }
}
