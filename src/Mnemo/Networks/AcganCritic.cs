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

    public override (Tensor Critic, Tensor ClassLogits) forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        foreach (var conv in convs) h = functional.leaky_relu(conv.forward(h), 0.2);
        var f = h.flatten(1);
        var critic = criticHead.forward(f).view(-1);
        var logits = classHead.forward(f);
        return (critic.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }
}
