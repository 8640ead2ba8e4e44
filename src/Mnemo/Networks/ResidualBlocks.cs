using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mnemo.Networks;

/// <summary>
/// The residual blocks of the official 64×64 WGAN-GP nets (gan64_model's ResidualBlock): 3×3 convolutions with
/// "same" padding, ReLU before each, and a 1×1 convolution on the shortcut. Up-sampling is nearest-neighbour
/// (tflib's four-copies depth-to-space), down-sampling a 2×2 mean pool.
/// </summary>
public sealed class UpResidualBlock : Module<Tensor, Tensor>
{
    readonly ConditionalBatchNorm2d norm1, norm2;
    readonly Conv2d conv1, conv2, shortcut;

    public UpResidualBlock(string name, long inChannels, long outChannels) : base(name)
    {
        // The 64×64 generator's norms are plain batch norms (gan64_model passes no labels to them): one class.
        norm1 = new ConditionalBatchNorm2d("norm1", inChannels, 1);
        norm2 = new ConditionalBatchNorm2d("norm2", outChannels, 1);
        conv1 = Conv2d(inChannels, outChannels, 3, padding: 1, bias: false);
        conv2 = Conv2d(outChannels, outChannels, 3, padding: 1);
        shortcut = Conv2d(inChannels, outChannels, 1);
        RegisterComponents();
    }

    public IEnumerable<ConditionalBatchNorm2d> BatchNorms => new[] { norm1, norm2 };

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var single = zeros(x.shape[0], dtype: ScalarType.Int64, device: x.device);
        var skip = ChannelPaddedConvolution.Forward(shortcut, Upsample(x));
        var h = ChannelPaddedConvolution.Forward(conv1, Upsample(functional.relu(norm1.forward(x, single))));
        h = ChannelPaddedConvolution.Forward(conv2, functional.relu(norm2.forward(h, single)));
        return skip.add(h).MoveToOuterDisposeScope();
    }

    static Tensor Upsample(Tensor x) => functional.interpolate(x, scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Nearest);
}

/// <summary>
/// The critic's down-sampling residual block (gan64_model, resample='down'): layer norm, ReLU, 3×3 conv, layer norm,
/// ReLU, 3×3 conv then mean pool; shortcut mean pool then 1×1 conv. Layer norm, not batch norm, because the
/// gradient penalty needs each image's critic value to depend on that image alone.
/// </summary>
public sealed class DownResidualBlock : Module<Tensor, Tensor>
{
    readonly ChannelLayerNorm norm1, norm2;
    readonly Conv2d conv1, conv2, shortcut;

    public DownResidualBlock(string name, long inChannels, long outChannels) : base(name)
    {
        norm1 = new ChannelLayerNorm("norm1", inChannels);
        norm2 = new ChannelLayerNorm("norm2", inChannels);
        conv1 = Conv2d(inChannels, inChannels, 3, padding: 1, bias: false);
        conv2 = Conv2d(inChannels, outChannels, 3, padding: 1);
        shortcut = Conv2d(inChannels, outChannels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var skip = ChannelPaddedConvolution.Forward(shortcut, functional.avg_pool2d(x, 2));
        var h = ChannelPaddedConvolution.Forward(conv1, functional.relu(norm1.forward(x)));
        h = functional.avg_pool2d(ChannelPaddedConvolution.Forward(conv2, functional.relu(norm2.forward(h))), 2);
        return skip.add(h).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// tflib's layer norm over (channels, height, width) of each image, with a learned scale and offset per channel
/// (not per element, as torch's LayerNorm over the same axes would have).
/// </summary>
public sealed class ChannelLayerNorm : Module<Tensor, Tensor>
{
    readonly Parameter scale, offset;
    const double Epsilon = 1e-5;

    public ChannelLayerNorm(string name, long channels) : base(name)
    {
        scale = Parameter(ones(channels));
        offset = Parameter(zeros(channels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var dims = new long[] { 1, 2, 3 };
        var mean = x.mean(dims, keepdim: true);
        var variance = x.var(dims, unbiased: false, keepdim: true);
        var normalised = x.sub(mean).div(variance.add(Epsilon).sqrt());
        return normalised.mul(scale.view(1, -1, 1, 1)).add(offset.view(1, -1, 1, 1)).MoveToOuterDisposeScope();
    }
}
