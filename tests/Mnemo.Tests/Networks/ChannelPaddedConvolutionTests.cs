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

    /// <summary>bfloat16 arithmetic on bfloat16-valued operands against float64 on the same values: input gradient and
    /// the weight gradient of a gradient-penalty-like term (through the double backward). Right kernels measured
    /// 1.7–2.8e-3 (float32 accumulation, one bfloat16 rounding of the result, u = 3.9e-3); the bound 1e-2 is ~2.5u
    /// and far below the fault the input padding avoids (20–35 % for 1 or 8 input channels on AMD Zen 5).</summary>
    [Theory]
    [InlineData(1, 8)]   // an MNIST critic's first layer at --dim 8: both sides padded
    [InlineData(1, 64)]  // the default MNIST critic's first layer
    [InlineData(3, 64)]  // an RGB critic's first layer
    [InlineData(8, 16)]
    [InlineData(64, 128)] // the default inner layer: unpadded
    public void Bfloat16ConvolutionGradientsMatchFloat64OnTheSameValues(long inChannels, long outChannels)
    {
        random.manual_seed(5);
        using var scope = NewDisposeScope();
        using var conv = nn.Conv2d(inChannels, outChannels, 5, stride: 2, padding: 2);
        using (no_grad())
            foreach (var p in conv.parameters()) p.copy_(p.to(ScalarType.BFloat16).to(ScalarType.Float32)); // exact in both
        var x = randn(16, inChannels, 32, 32).to(ScalarType.BFloat16).to(ScalarType.Float32).requires_grad_(true);
        var y16 = ChannelPaddedConvolution.Forward(conv, x.to(ScalarType.BFloat16), ScalarType.BFloat16);
        Assert.Equal(ScalarType.BFloat16, y16.dtype);
        var y = y16.to(ScalarType.Float32);
        var inputGrad = autograd.grad(new[] { y.square().sum() }, new[] { x }, retain_graph: true, create_graph: true)[0];
        var penaltyGrad = autograd.grad(new[] { inputGrad.square().sum() }, new[] { conv.weight! }, retain_graph: true)[0];
        var (x64, w64) = (x.detach().to(ScalarType.Float64).requires_grad_(true), conv.weight!.detach().to(ScalarType.Float64).requires_grad_(true));
        var y64 = nn.functional.conv2d(x64, w64, conv.bias!.detach().to(ScalarType.Float64), strides: new long[] { 2, 2 }, padding: new long[] { 2, 2 });
        var inputGrad64 = autograd.grad(new[] { y64.square().sum() }, new[] { x64 }, retain_graph: true, create_graph: true)[0];
        var penaltyGrad64 = autograd.grad(new[] { inputGrad64.square().sum() }, new[] { w64 }, retain_graph: true)[0];
        Assert.InRange(Relative(y.detach(), y64.detach()), 0, 1e-2);
        Assert.InRange(Relative(inputGrad.detach(), inputGrad64.detach()), 0, 1e-2);
        Assert.InRange(Relative(penaltyGrad, penaltyGrad64), 0, 1e-2);
    }

    [Fact]
    public void PaddingReachesTheNextMultipleOf16()
    {
        Assert.Equal(new long[] { 15, 8, 0, 13, 0 }, new long[] { 1, 8, 16, 35, 64 }.Select(c => ChannelPaddedConvolution.Padding(c)).ToArray());
    }
}
