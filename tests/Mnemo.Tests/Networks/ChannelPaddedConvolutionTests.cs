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

    /// <summary>The padded layer in float32 against the plain functional operation in float64 (whose kernels are not
    /// the faulty ones): values and the gradients of input, weight and bias.</summary>
    static void MatchesFloat64(Func<Tensor, Tensor> padded, nn.Module layer, Func<Tensor, Tensor, Tensor, Tensor> plain, long[] xShape)
    {
        random.manual_seed(11);
        using var scope = NewDisposeScope();
        var (w, b) = (layer.get_parameter("weight")!, layer.get_parameter("bias")!);
        var x = randn(xShape).requires_grad_(true);
        var y = padded(x);
        y.square().sum().backward();
        var (x64, w64, b64) = (x.detach().to(ScalarType.Float64).requires_grad_(true), w.detach().to(ScalarType.Float64).requires_grad_(true), b.detach().to(ScalarType.Float64).requires_grad_(true));
        var y64 = plain(x64, w64, b64);
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
    public void ConvolutionAndItsGradientsMatchFloat64(long inChannels, long outChannels, long kernel, long stride)
    {
        random.manual_seed(7);
        using var conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: kernel / 2);
        MatchesFloat64(x => ChannelPaddedConvolution.Forward(conv, x), conv,
            (x, w, b) => nn.functional.conv2d(x, w, b, strides: new[] { stride, stride }, padding: new[] { kernel / 2, kernel / 2 }),
            new long[] { 8, inChannels, 32, 32 });
    }

    [Theory]
    [InlineData(8, 1)] // a generator's last layer to one channel at --dim 8
    [InlineData(12, 1)]
    [InlineData(4, 3)]
    [InlineData(64, 1)] // the default width: unpadded
    public void TransposedConvolutionAndItsGradientsMatchFloat64(long inChannels, long outChannels)
    {
        random.manual_seed(7);
        using var deconv = nn.ConvTranspose2d(inChannels, outChannels, 5, stride: 2, padding: 2, output_padding: 1);
        MatchesFloat64(x => ChannelPaddedConvolution.Forward(deconv, x), deconv,
            (x, w, b) => nn.functional.conv_transpose2d(x, w, b, strides: new long[] { 2, 2 }, padding: new long[] { 2, 2 }, output_padding: new long[] { 1, 1 }),
            new long[] { 8, inChannels, 16, 16 });
    }

    [Fact]
    public void PaddingReachesTheNextMultipleOf16()
    {
        Assert.Equal(new long[] { 15, 8, 0, 13, 0 }, new long[] { 1, 8, 16, 35, 64 }.Select(c => ChannelPaddedConvolution.Padding(c)).ToArray());
    }
}
