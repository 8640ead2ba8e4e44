using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mnemo.Networks;

/// <summary>
/// Conditional batch norm (Dumoulin et al.): batch statistics, then a per-class scale and offset. As in the
/// official MeRGAN code, statistics always come from the current batch (no running averages), in training and
/// in sampling alike, so sample in batches of more than one image.
/// <para><c>Groups</c> &gt; 1 normalises each of that many equal, contiguous slices of the batch on its own
/// statistics: one call then behaves exactly like separate generator calls per class, which is how the official
/// code generates replayed classes (one generator call per earlier class).</para>
/// </summary>
public sealed class ConditionalBatchNorm2d : Module<Tensor, Tensor, Tensor>
{
    readonly Embedding scale;
    readonly Embedding offset;
    readonly long features;
    const double Epsilon = 1e-5;

    public ConditionalBatchNorm2d(string name, long features, long classes) : base(name)
    {
        this.features = features;
        scale = Embedding(classes, features);
        offset = Embedding(classes, features);
        using (no_grad())
        {
            scale.weight!.fill_(1.0);
            offset.weight!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>Number of independently normalised slices of the batch (set by the generator per call).</summary>
    public int Groups { get; set; } = 1;

    public override Tensor forward(Tensor x, Tensor labels)
    {
        using var scope = NewDisposeScope();
        Tensor normalised;
        if (Groups <= 1)
        {
            normalised = functional.batch_norm(x, null, null, training: true, eps: Epsilon);
        }
        else
        {
            long n = x.shape[0];
            if (n % Groups != 0) throw new ArgumentException($"batch of {n} cannot be split into {Groups} equal groups");
            var g = x.view(Groups, n / Groups, features, x.shape[2], x.shape[3]);
            var dims = new long[] { 1, 3, 4 };
            var mean = g.mean(dims, keepdim: true);
            var variance = g.var(dims, unbiased: false, keepdim: true);
            normalised = g.sub(mean).div(variance.add(Epsilon).sqrt()).view(x.shape);
        }
        var gamma = scale.forward(labels).view(-1, features, 1, 1);
        var beta = offset.forward(labels).view(-1, features, 1, 1);
        return normalised.mul(gamma).add(beta).MoveToOuterDisposeScope();
    }
}
