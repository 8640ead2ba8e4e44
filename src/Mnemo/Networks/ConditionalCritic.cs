using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mnemo.Networks;

/// <summary>
/// A WGAN critic with an auxiliary classifier (AC-GAN): returns the critic value per image and class logits.
/// </summary>
public abstract class ConditionalCritic : Module<Tensor, (Tensor Critic, Tensor ClassLogits)>, IFeatureNetwork
{
    protected ConditionalCritic(string name, int classes) : base(name) => Classes = classes;

    public int Classes { get; }

    /// <summary>The flattened features both heads read (N×F: F = 4·4·4·dim for the 32×32 critic, 4·4·8·dim for the
    /// 64×64 one), clustered by the label-free continual methods.</summary>
    public abstract Tensor Features(Tensor x);

    /// <summary>The official critic for the image size: gan32_model's convolutional critic for 32×32,
    /// gan64_model's residual critic for 64×64.</summary>
    public static ConditionalCritic ForImageSize(int classes, int channels, int imageSize, int dim) =>
        imageSize switch
        {
            32 => new AcganCritic(classes, channels, dim),
            64 => new ResNetAcganCritic(classes, channels, dim),
            _ => throw new ArgumentException($"MeRGAN critics take 32×32 or 64×64 images, not {imageSize}×{imageSize}"),
        };
}
