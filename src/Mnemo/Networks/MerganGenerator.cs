using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mnemo.Networks;

/// <summary>
/// MeRGAN's conditional generator G(z, c) (official gan32_model): Linear z → 4×4×(4·dim), then stride-2 5×5
/// transposed convolutions 4·dim → 2·dim → dim → channels, each hidden stage followed by class-conditional batch
/// norm and ReLU, tanh output. The class enters only through the conditional batch norms. For 64×64 images one
/// more dim → dim stage is inserted before the output (the official 64×64 net is a ResNet; see docs/mergan.md).
/// An unconditional generator is the same network with one class.
/// </summary>
public sealed class MerganGenerator : Module<Tensor, Tensor, Tensor>
{
    readonly Linear input;
    readonly ModuleList<ConditionalBatchNorm2d> norms;
    readonly ModuleList<ConvTranspose2d> deconvs;
    readonly long dim;

    public int ZDim { get; }
    public int Classes { get; }
    public int Channels { get; }
    public int ImageSize { get; }

    public MerganGenerator(int zDim, int classes, int channels, int imageSize = 32, int dim = 32) : base("MerganGenerator")
    {
        if (imageSize != 32 && imageSize != 64) throw new ArgumentException("MeRGAN generators are 32×32 or 64×64");
        ZDim = zDim; Classes = classes; Channels = channels; ImageSize = imageSize;
        this.dim = dim;
        input = Linear(zDim, 4 * 4 * 4 * dim);
        var widths = imageSize == 32 ? new long[] { 4 * dim, 2 * dim, dim } : new long[] { 4 * dim, 2 * dim, dim, dim };
        norms = new ModuleList<ConditionalBatchNorm2d>(widths.Select((w, i) => new ConditionalBatchNorm2d($"bn{i}", w, classes)).ToArray());
        var stages = new List<ConvTranspose2d>();
        for (int i = 0; i < widths.Length; i++)
            stages.Add(ConvTranspose2d(widths[i], i + 1 < widths.Length ? widths[i + 1] : channels, 5, stride: 2, padding: 2, output_padding: 1));
        deconvs = new ModuleList<ConvTranspose2d>(stages.ToArray());
        RegisterComponents();
    }

    /// <summary>Generates with batch-norm statistics taken per group of <c>z.shape[0] / groups</c> consecutive
    /// samples, equal to <paramref name="groups"/> separate calls (see <see cref="ConditionalBatchNorm2d"/>).</summary>
    public Tensor Generate(Tensor z, Tensor labels, int groups)
    {
        foreach (var norm in norms) norm.Groups = groups;
        try { return forward(z, labels); }
        finally { foreach (var norm in norms) norm.Groups = 1; }
    }

    public override Tensor forward(Tensor z, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var h = input.forward(z).view(-1, 4 * dim, 4, 4);
        for (int i = 0; i < deconvs.Count; i++)
        {
            h = functional.relu(norms[i].forward(h, labels));
            h = deconvs[i].forward(h);
        }
        return h.tanh().MoveToOuterDisposeScope();
    }
}
