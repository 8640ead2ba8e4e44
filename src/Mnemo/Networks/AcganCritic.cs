using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mnemo.Networks;

/// <summary>
/// MeRGAN's 32×32 critic (official gan32_model): stride-2 5×5 convolutions channels → dim → 2·dim → 4·dim with
/// leaky ReLU (0.2), no normalisation (WGAN-GP forbids batch norm in the critic), then two linear heads on the
/// flattened 4×4 features: the Wasserstein critic value and the auxiliary classifier's logits (AC-GAN).
/// </summary>
public sealed class AcganCritic : ConditionalCritic
{
    readonly ModuleList<Conv2d> convs;
    readonly Linear criticHead;
    readonly Linear classHead;

    public AcganCritic(int classes, int channels, int dim = 32) : base("AcganCritic", classes)
    {
        var widths = new long[] { channels, dim, 2 * dim, 4 * dim };
        convs = new ModuleList<Conv2d>(Enumerable.Range(0, widths.Length - 1)
            .Select(i => Conv2d(widths[i], widths[i + 1], 5, stride: 2, padding: 2)).ToArray());
        long featureSize = 4 * 4 * 4 * dim;
        criticHead = Linear(featureSize, 1);
        classHead = Linear(featureSize, classes);
        RegisterComponents();
    }

    /// <summary>Element type of the convolutions' arithmetic: float32 (the paper's), or bfloat16 with float32 master
    /// weights — input and weights are cast per call, so the optimiser, the heads and the losses stay float32 and
    /// gradients flow back through the casts. Speeds up the critic on CPUs with AVX-512 BF16 (bench/README.md).</summary>
    public ScalarType ConvolutionType { get; set; } = ScalarType.Float32;

    public override (Tensor Critic, Tensor ClassLogits) forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var f = Features(x);
        var critic = criticHead.forward(f).view(-1);
        var logits = classHead.forward(f);
        return (critic.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    /// <summary>The flattened 4×4×(4·dim) output of the convolutions (N×64·dim).</summary>
    public override Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        // In float32 the casts are no-ops.
        var h = x.to(ConvolutionType);
        foreach (var conv in convs)
            h = functional.leaky_relu(ChannelPaddedConvolution.Forward(conv, h, ConvolutionType), 0.2);
        return h.to(ScalarType.Float32).flatten(1).MoveToOuterDisposeScope();
    }
}
