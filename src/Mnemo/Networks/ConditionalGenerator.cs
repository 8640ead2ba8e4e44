using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mnemo.Networks;

/// <summary>
/// A class-conditional generator G(z, c) of the MeRGAN family. Its batch norms always use batch statistics (as the
/// official code does), so <see cref="Generate"/> can split one call into groups that are normalised apart.
/// </summary>
public abstract class ConditionalGenerator : Module<Tensor, Tensor, Tensor>
{
    protected ConditionalGenerator(string name, int zDim, int classes, int channels, int imageSize) : base(name)
    {
        ZDim = zDim; Classes = classes; Channels = channels; ImageSize = imageSize;
    }

    public int ZDim { get; }
    /// <summary>The device the generator's weights live on (noise and labels for it are drawn there).</summary>
    public Device Device => parameters().First().device;
    public int Classes { get; }
    public int Channels { get; }
    public int ImageSize { get; }

    /// <summary>Every batch norm of the network, so that <see cref="Generate"/> can set their groups.</summary>
    protected abstract IEnumerable<ConditionalBatchNorm2d> BatchNorms { get; }

    /// <summary>Generates with batch-norm statistics taken per group of <c>z.shape[0] / groups</c> consecutive
    /// samples, equal to <paramref name="groups"/> separate calls (see <see cref="ConditionalBatchNorm2d"/>).</summary>
    public Tensor Generate(Tensor z, Tensor labels, int groups)
    {
        foreach (var norm in BatchNorms) norm.Groups = groups;
        try { return forward(z, labels); }
        finally { foreach (var norm in BatchNorms) norm.Groups = 1; }
    }

    /// <summary>The official network for the image size: the DCGAN-style net of gan32_model for 32×32, the
    /// residual net of gan64_model for 64×64.</summary>
    public static ConditionalGenerator ForImageSize(int zDim, int classes, int channels, int imageSize, int dim) =>
        imageSize switch
        {
            32 => new MerganGenerator(zDim, classes, channels, dim),
            64 => new MerganResNetGenerator(zDim, classes, channels, dim),
            _ => throw new ArgumentException($"MeRGAN generators are 32×32 or 64×64, not {imageSize}×{imageSize}"),
        };
}
