using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mnemo.Networks;

/// <summary>
/// 2-D convolutions whose input-gradient kernel only ever sees channel counts that are multiples of 16.
/// <para>Measured on 2026-12-01 on an AMD EPYC of family 26 (Zen 5) with libtorch's oneDNN v3.7.1: the gradient of
/// a convolution with respect to its input — the same kernel as a transposed convolution's forward pass — was off by
/// 4–92 % against float64, or NaN, for output-channel counts that are not multiples of 16 (1→8, 1→4, 3→24, 4→8,
/// 16→2 convolutions; 8→1 and 12→1 transposed convolutions; under <c>ONEDNN_MAX_CPU_ISA=AVX2</c> also 64→3), and
/// right for 16, 32, 64 and more. The forward pass and the weight gradient were right. The fault is erratic (it
/// depends on the process's memory history) and showed on no earlier machine, so it cannot be tested away; it is
/// avoided: the short side is padded with zero channels up to a multiple of 16 — a convolution's output channels
/// (zero filters, dropped again after it) and a transposed convolution's input channels (zero inputs with zero
/// weights). Exact arithmetic gives the same values; layers whose counts are already multiples of 16 (the default
/// 64-channel networks' inner layers) run unchanged.</para>
/// <para>In bfloat16 (measured 2026-12-02, same machine and library) the input gradient is also wrong — 20–35 %
/// against float64 on the same rounded operands, where right kernels stay at 1.7e-3 — when the convolution's
/// <em>input</em> channels are not multiples of 16 (1 and 8 measured; 16 and 32 right), so bfloat16 convolutions
/// pad their input channels as well (zero inputs times zero weights; the gradient of the padding is dropped by
/// the pad's own backward).</para>
/// </summary>
public static class ChannelPaddedConvolution
{
    /// <summary>Zero channels that bring <paramref name="channels"/> to a multiple of 16 (0 when it is one).</summary>
    public static long Padding(long channels) => (16 - channels % 16) % 16;

    /// <summary><paramref name="conv"/>'s forward pass (its stride, padding, dilation and groups) with the output
    /// channels padded as above. <paramref name="x"/>: N×C×H×W; returns N×out×H'×W'. <paramref name="compute"/>: the
    /// element type of the arithmetic (weights and bias cast per call, gradients flowing back through the casts);
    /// null keeps the weights' own.</summary>
    public static Tensor Forward(Conv2d conv, Tensor x, ScalarType? compute = null)
    {
        using var scope = NewDisposeScope();
        var (weight, bias) = Weights(conv.weight!, conv.bias, compute);
        long outChannels = weight.shape[0], extra = Padding(outChannels);
        if (extra > 0)
            (weight, bias) = (functional.pad(weight, new long[] { 0, 0, 0, 0, 0, 0, 0, extra }), bias is null ? null : functional.pad(bias, new long[] { 0, extra }));
        long extraIn = weight.dtype == ScalarType.BFloat16 && conv.groups == 1 ? Padding(weight.shape[1]) : 0;
        if (extraIn > 0) // bfloat16's input-gradient kernel also needs the input side a multiple of 16 (see above)
            (x, weight) = (functional.pad(x, new long[] { 0, 0, 0, 0, 0, extraIn }), functional.pad(weight, new long[] { 0, 0, 0, 0, 0, extraIn }));
        var y = functional.conv2d(x, weight, bias, strides: conv.stride, padding: conv.padding, dilation: conv.dilation, groups: conv.groups);
        return (extra > 0 ? y.narrow(1, 0, outChannels) : y).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="deconv"/>'s forward pass (its stride, padding, output padding, dilation and groups) with
    /// the input channels padded as above. <paramref name="x"/>: N×in×H×W; returns N×out×H'×W'.</summary>
    public static Tensor Forward(ConvTranspose2d deconv, Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor weight = deconv.weight!;
        long extra = Padding(weight.shape[0]);
        if (extra > 0)
            (x, weight) = (functional.pad(x, new long[] { 0, 0, 0, 0, 0, extra }), functional.pad(weight, new long[] { 0, 0, 0, 0, 0, 0, 0, extra }));
        return functional.conv_transpose2d(x, weight, deconv.bias, strides: deconv.stride, padding: deconv.padding,
            output_padding: deconv.output_padding, dilation: deconv.dilation, groups: deconv.groups).MoveToOuterDisposeScope();
    }

    static (Tensor Weight, Tensor? Bias) Weights(Tensor weight, Tensor? bias, ScalarType? compute) =>
        compute is { } type ? (weight.to(type), bias?.to(type)) : (weight, bias);
}
