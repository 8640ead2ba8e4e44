using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mnemo.Networks;

/// <summary>
/// MeRGAN's critic (official gan32_model): stride-2 5×5 convolutions channels → dim → 2·dim → 4·dim with leaky
/// ReLU (0.2), no normalisation (WGAN-GP forbids batch norm in the critic), then two linear heads on the
/// flattened 4×4 features: the Wasserstein critic value and the auxiliary classifier's logits (AC-GAN).
/// </summary>
public sealed class AcganCritic : Module<Tensor, (Tensor Critic, Tensor ClassLogits)>
{
    readonly ModuleList<Conv2d> convs;
    readonly Linear criticHead;
    readonly Linear classHead;
    readonly long featureSize;

    public int Classes { get; }

    public AcganCritic(int classes, int channels, int imageSize = 32, int dim = 32) : base("AcganCritic")
    {
        if (imageSize != 32 && imageSize != 64) throw new ArgumentException("MeRGAN critics take 32×32 or 64×64 images");
        Classes = classes;
        var widths = imageSize == 32 ? new long[] { channels, dim, 2 * dim, 4 * dim } : new long[] { channels, dim, dim, 2 * dim, 4 * dim };
        convs = new ModuleList<Conv2d>(Enumerable.Range(0, widths.Length - 1)
            .Select(i => Conv2d(widths[i], widths[i + 1], 5, stride: 2, padding: 2)).ToArray());
        featureSize = 4 * 4 * 4 * dim;
        criticHead = Linear(featureSize, 1);
        classHead = Linear(featureSize, classes);
        RegisterComponents();
    }

    public Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        foreach (var conv in convs) h = functional.leaky_relu(conv.forward(h), 0.2);
        return h.flatten(1).MoveToOuterDisposeScope();
    }

    public override (Tensor Critic, Tensor ClassLogits) forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var f = Features(x);
        var critic = criticHead.forward(f).view(-1);
        var logits = classHead.forward(f);
        return (critic.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }
}
