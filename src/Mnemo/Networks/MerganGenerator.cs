using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mnemo.Networks;

/// <summary>
/// MeRGAN's 32×32 conditional generator G(z, c) (official gan32_model): Linear z → 4×4×(4·dim), then stride-2 5×5
/// transposed convolutions 4·dim → 2·dim → dim → channels, each hidden stage followed by class-conditional batch
/// norm and ReLU, tanh output. The class enters only through the conditional batch norms. An unconditional
/// generator is the same network with one class.
/// </summary>
public sealed class MerganGenerator : ConditionalGenerator
{
    readonly Linear input;
    readonly ModuleList<ConditionalBatchNorm2d> norms;
    readonly ModuleList<ConvTranspose2d> deconvs;
    readonly long dim;

    public MerganGenerator(int zDim, int classes, int channels, int dim = 32) : base("MerganGenerator", zDim, classes, channels, 32)
    {
        this.dim = dim;
        input = Linear(zDim, 4 * 4 * 4 * dim);
        var widths = new long[] { 4 * dim, 2 * dim, dim };
        norms = new ModuleList<ConditionalBatchNorm2d>(widths.Select((w, i) => new ConditionalBatchNorm2d($"bn{i}", w, classes)).ToArray());
        var stages = new List<ConvTranspose2d>();
        for (int i = 0; i < widths.Length; i++)
            stages.Add(ConvTranspose2d(widths[i], i + 1 < widths.Length ? widths[i + 1] : channels, 5, stride: 2, padding: 2, output_padding: 1));
        deconvs = new ModuleList<ConvTranspose2d>(stages.ToArray());
        RegisterComponents();
    }

    protected override IEnumerable<ConditionalBatchNorm2d> BatchNorms => norms;

    public override Tensor forward(Tensor z, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var h = input.forward(z).view(-1, 4 * dim, 4, 4);
        for (int i = 0; i < deconvs.Count; i++)
        {
            h = functional.relu(norms[i].forward(h, labels));
            h = ChannelPaddedConvolution.Forward(deconvs[i], h);
        }
        return h.tanh().MoveToOuterDisposeScope();
    }
}
