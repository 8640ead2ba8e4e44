using static TorchSharp.torch;

namespace Mnemo.Networks;

/// <summary>A discriminator whose penultimate features can be clustered (the Self-Conditioned GAN's D_f): the
/// Self-Conditioned GAN's discriminators and MeRGAN's critics.</summary>
public interface IFeatureNetwork
{
    /// <summary>The features of <paramref name="x"/> (N×C×H×W images, or N×2 points): an N×F tensor.</summary>
    Tensor Features(Tensor x);
}
