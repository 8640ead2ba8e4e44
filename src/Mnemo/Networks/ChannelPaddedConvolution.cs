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
/// </summary>
public static class ChannelPaddedConvolution
{
    /// <summary>Zero channels that bring <paramref name="channels"/> to a multiple of 16 (0 when it is one).</summary>
    public static long Padding(long channels) => (16 - channels % 16) % 16;

    /// <summary>A square convolution. <paramref name="x"/>: N×C×H×W; <paramref name="weight"/>: out×C×k×k;
    /// <paramref name="bias"/>: out or null. Returns N×out×H'×W', as <c>functional.conv2d</c> does.</summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, long stride, long padding)
    {
        long[] strides = { stride, stride }, pads = { padding, padding };
        long outChannels = weight.shape[0], extra = Padding(outChannels);
        if (extra == 0) return functional.conv2d(x, weight, bias, strides: strides, padding: pads);
        using var scope = NewDisposeScope();
        var paddedBias = bias is null ? null : functional.pad(bias, new long[] { 0, extra });
        return functional.conv2d(x, functional.pad(weight, new long[] { 0, 0, 0, 0, 0, 0, 0, extra }), paddedBias, strides: strides, padding: pads)
            .narrow(1, 0, outChannels).MoveToOuterDisposeScope();
    }

    /// <summary>A square transposed convolution. <paramref name="x"/>: N×in×H×W; <paramref name="weight"/>:
    /// in×out×k×k; <paramref name="bias"/>: out or null. Returns N×out×H'×W', as <c>functional.conv_transpose2d</c>.</summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias, long stride, long padding, long outputPadding)
    {
        long[] strides = { stride, stride }, pads = { padding, padding }, outputPads = { outputPadding, outputPadding };
        long extra = Padding(weight.shape[0]);
        if (extra == 0) return functional.conv_transpose2d(x, weight, bias, strides: strides, padding: pads, output_padding: outputPads);
        using var scope = NewDisposeScope();
        return functional.conv_transpose2d(functional.pad(x, new long[] { 0, 0, 0, 0, 0, extra }), functional.pad(weight, new long[] { 0, 0, 0, 0, 0, 0, 0, extra }), bias,
                strides: strides, padding: pads, output_padding: outputPads).MoveToOuterDisposeScope();
    }
}
