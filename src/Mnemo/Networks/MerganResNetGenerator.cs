using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mnemo.Networks;

/// <summary>
/// MeRGAN's 64×64 generator (official gan64_model, "GoodGenerator"): the class enters as a one-hot vector
/// appended to z; Linear → 4×4×(8·dim); four up-sampling residual blocks 8·dim → 8·dim → 4·dim → 2·dim → dim
/// (64×64); batch norm, ReLU, 3×3 conv to the image channels, tanh. Official dim = 64.
/// </summary>
public sealed class MerganResNetGenerator : ConditionalGenerator
{
    readonly Linear input;
    readonly ModuleList<UpResidualBlock> blocks;
    readonly ConditionalBatchNorm2d outputNorm;
    readonly Conv2d output;
    readonly long dim;

    public MerganResNetGenerator(int zDim, int classes, int channels, int dim = 64) : base("MerganResNetGenerator", zDim, classes, channels, 64)
    {
        this.dim = dim;
        input = Linear(zDim + classes, 4 * 4 * 8 * dim);
        var widths = new long[] { 8 * dim, 8 * dim, 4 * dim, 2 * dim, dim };
        blocks = new ModuleList<UpResidualBlock>(Enumerable.Range(0, 4).Select(i => new UpResidualBlock($"res{i + 1}", widths[i], widths[i + 1])).ToArray());
        outputNorm = new ConditionalBatchNorm2d("output_norm", dim, 1);
        output = Conv2d(dim, channels, 3, padding: 1);
        RegisterComponents();
    }

    protected override IEnumerable<ConditionalBatchNorm2d> BatchNorms => blocks.SelectMany(b => b.BatchNorms).Append(outputNorm);

    public override Tensor forward(Tensor z, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var oneHot = functional.one_hot(labels, Classes).to_type(z.dtype);
        var h = input.forward(cat(new[] { z, oneHot }, 1)).view(-1, 8 * dim, 4, 4);
        foreach (var block in blocks) h = block.forward(h);
        h = functional.relu(outputNorm.forward(h, zeros(h.shape[0], dtype: ScalarType.Int64, device: h.device)));
        return ChannelPaddedConvolution.Forward(output, h).tanh().MoveToOuterDisposeScope();
    }
}
