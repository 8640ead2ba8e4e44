using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mnemo.Networks;

/// <summary>
/// MeRGAN's 64×64 critic (official gan64_model, "GoodDiscriminator"): 3×3 conv channels → dim, four
/// down-sampling residual blocks dim → 2·dim → 4·dim → 8·dim → 8·dim (4×4) with layer norm, then linear heads on
/// the flattened features: the critic value and the auxiliary classifier's logits. Official dim = 64.
/// </summary>
public sealed class ResNetAcganCritic : ConditionalCritic
{
    readonly Conv2d input;
    readonly ModuleList<DownResidualBlock> blocks;
    readonly Linear criticHead;
    readonly Linear classHead;

    public ResNetAcganCritic(int classes, int channels, int dim = 64) : base("ResNetAcganCritic", classes)
    {
        input = Conv2d(channels, dim, 3, padding: 1);
        var widths = new long[] { dim, 2 * dim, 4 * dim, 8 * dim, 8 * dim };
        blocks = new ModuleList<DownResidualBlock>(Enumerable.Range(0, 4).Select(i => new DownResidualBlock($"res{i + 1}", widths[i], widths[i + 1])).ToArray());
        long featureSize = 4 * 4 * 8 * dim;
        criticHead = Linear(featureSize, 1);
        classHead = Linear(featureSize, classes);
        RegisterComponents();
    }

    public override (Tensor Critic, Tensor ClassLogits) forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var f = Features(x);
        return (criticHead.forward(f).view(-1).MoveToOuterDisposeScope(), classHead.forward(f).MoveToOuterDisposeScope());
    }

    /// <summary>The flattened 4×4×(8·dim) output of the residual blocks (N×128·dim).</summary>
    public override Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = ChannelPaddedConvolution.Forward(input, x);
        foreach (var block in blocks) h = block.forward(h);
        return h.flatten(1).MoveToOuterDisposeScope();
    }
}
