using Mnemo.Networks;
using static TorchSharp.torch;

namespace Mnemo.Tests.Networks;

/// <summary>The channel-padded convolutions against the same computation in float64, values and all gradients, for
/// the channel counts whose unpadded input gradients were 4–92 % off (or NaN) on AMD Zen 5 (see
/// <see cref="ChannelPaddedConvolution"/>). Float32 rounding over ≤ 1,600 products gives ~1e-7 relative; the bound
/// 1e-4 leaves room for any kernel family and is far below the fault.</summary>
[Trait("Category", TestTraits.KernelSensitive)]
public class ChannelPaddedConvolutionTests
{
    static double Relative(Tensor a, Tensor b) => a.to(ScalarType.Float64).sub(b).norm().item<double>() / b.norm().item<double>();

    static void MatchesFloat64(Func<Tensor, Tensor, Tensor, Tensor> layer, long[] xShape, long[] wShape, long outChannels)
    {
        random.manual_seed(11);
        using var scope = NewDisposeScope();
        var x = randn(xShape).requires_grad_(true);
        var w = randn(wShape).mul(0.1).requires_grad_(true);
        var b = randn(outChannels).requires_grad_(true);
        var y = layer(x, w, b);
        y.square().sum().backward();
        var (x64, w64, b64) = (x.detach().to(ScalarType.Float64).requires_grad_(true), w.detach().to(ScalarType.Float64).requires_grad_(true), b.detach().to(ScalarType.Float64).requires_grad_(true));
        var y64 = layer(x64, w64, b64);
        y64.square().sum().backward();
        Assert.Equal(y64.shape, y.shape);
        Assert.InRange(Relative(y.detach(), y64.detach()), 0, 1e-4);
        Assert.InRange(Relative(x.grad!, x64.grad!), 0, 1e-4);
        Assert.InRange(Relative(w.grad!, w64.grad!), 0, 1e-4);
        Assert.InRange(Relative(b.grad!, b64.grad!), 0, 1e-4);
    }

    [Theory]
    [InlineData(1, 8, 5, 2)]  // an MNIST critic's first layer at --dim 8
    [InlineData(1, 4, 5, 2)]
    [InlineData(3, 24, 5, 2)]
    [InlineData(4, 8, 3, 1)]
    [InlineData(16, 2, 3, 1)]
    [InlineData(64, 3, 3, 1)] // a generator's last layer to RGB
    [InlineData(1, 64, 5, 2)] // the default width: unpadded
    public void ConvolutionAndItsGradientsMatchFloat64(long inChannels, long outChannels, long kernel, long stride) =>
        MatchesFloat64((x, w, b) => ChannelPaddedConvolution.Conv2d(x, w, b, stride, kernel / 2),
            new long[] { 8, inChannels, 32, 32 }, new long[] { outChannels, inChannels, kernel, kernel }, outChannels);

    [Theory]
    [InlineData(8, 1)] // a generator's last layer to one channel at --dim 8
    [InlineData(12, 1)]
    [InlineData(4, 3)]
    [InlineData(64, 1)] // the default width: unpadded
    public void TransposedConvolutionAndItsGradientsMatchFloat64(long inChannels, long outChannels) =>
        MatchesFloat64((x, w, b) => ChannelPaddedConvolution.ConvTranspose2d(x, w, b, 2, 2, 1),
            new long[] { 8, inChannels, 16, 16 }, new long[] { inChannels, outChannels, 5, 5 }, outChannels);

    [Fact]
    public void PaddingReachesTheNextMultipleOf16()
    {
        Assert.Equal(new long[] { 15, 8, 0, 13, 0 }, new long[] { 1, 8, 16, 35, 64 }.Select(c => ChannelPaddedConvolution.Padding(c)).ToArray());
    }
}
