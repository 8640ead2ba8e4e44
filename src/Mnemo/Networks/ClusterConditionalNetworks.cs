using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mnemo.Networks;

/// <summary>A discriminator D = D_h ∘ D_f whose features D_f(x) are clustered, with one output per class
/// ("mask" conditioning: a linear layer to k logits, of which the one for label y is taken).</summary>
public abstract class ClusterConditionalDiscriminator : Module<Tensor, Tensor, Tensor>, IFeatureNetwork
{
    protected ClusterConditionalDiscriminator(string name) : base(name) { }

    public abstract int Classes { get; }

    /// <summary>D_f: the penultimate features the clusterer works on.</summary>
    public abstract Tensor Features(Tensor x);

    /// <summary>D_h: the logit of each sample's own class.</summary>
    protected static Tensor SelectLogit(Linear head, Tensor features, Tensor labels)
    {
        using var scope = NewDisposeScope();
        return head.forward(features).gather(1, labels.view(-1, 1)).view(-1).MoveToOuterDisposeScope();
    }
}

/// <summary>A generator G(z, c) conditioned on a class through a learned embedding that is L2-normalised and
/// concatenated to z (the Self-Conditioned GAN's LatentEmbeddingConcat).</summary>
public abstract class EmbeddingConditionalGenerator : Module<Tensor, Tensor, Tensor>
{
    readonly Embedding embedding;

    protected EmbeddingConditionalGenerator(string name, int classes, int embedDim) : base(name)
    {
        embedding = Embedding(classes, embedDim);
        Classes = classes;
        EmbedDim = embedDim;
    }

    public int Classes { get; }
    public int EmbedDim { get; }
    public abstract int ZDim { get; }

    protected Tensor Input(Tensor z, Tensor labels) =>
        cat(new[] { z, functional.normalize(embedding.forward(labels), p: 2, dim: 1) }, 1);
}

/// <summary>The 2-D generator: [z (2), embedding (32)] → 4 × (Linear 400, BatchNorm, ReLU) → Linear 2.</summary>
public sealed class Mlp2DGenerator : EmbeddingConditionalGenerator
{
    readonly Sequential body;

    public Mlp2DGenerator(int classes, int zDim = 2, int embedDim = 32, int hidden = 400) : base("Mlp2DGenerator", classes, embedDim)
    {
        ZDim = zDim;
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        long input = zDim + embedDim;
        for (int i = 0; i < 4; i++)
        {
            layers.Add(($"fc{i}", Linear(input, hidden)));
            layers.Add(($"bn{i}", BatchNorm1d(hidden)));
            layers.Add(($"relu{i}", ReLU()));
            input = hidden;
        }
        layers.Add(("out", Linear(hidden, 2)));
        body = Sequential(layers);
        RegisterComponents();
    }

    public override int ZDim { get; }

    public override Tensor forward(Tensor z, Tensor labels)
    {
        using var scope = NewDisposeScope();
        return body.forward(Input(z, labels)).MoveToOuterDisposeScope();
    }
}

/// <summary>Maxout: a linear layer to units × pieces outputs, then the maximum over each unit's pieces.</summary>
public sealed class Maxout : Module<Tensor, Tensor>
{
    readonly Linear linear;
    readonly long units, pieces;

    public Maxout(long input, long units, long pieces) : base("Maxout")
    {
        this.units = units;
        this.pieces = pieces;
        linear = Linear(input, units * pieces);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return linear.forward(x).view(-1, units, pieces).max(2).values.MoveToOuterDisposeScope();
    }
}

/// <summary>The 2-D discriminator: 3 maxout layers (200 units, 5 pieces) as D_f, a masked linear head as D_h.</summary>
public sealed class Mlp2DDiscriminator : ClusterConditionalDiscriminator
{
    readonly Maxout fc1, fc2, fc3;
    readonly Linear head;

    public Mlp2DDiscriminator(int classes, int hidden = 200, int pieces = 5) : base("Mlp2DDiscriminator")
    {
        Classes = classes;
        fc1 = new Maxout(2, hidden, pieces);
        fc2 = new Maxout(hidden, hidden, pieces);
        fc3 = new Maxout(hidden, hidden, pieces);
        head = Linear(hidden, classes);
        RegisterComponents();
    }

    public override int Classes { get; }

    public override Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        return fc3.forward(fc2.forward(fc1.forward(x))).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor x, Tensor labels) => SelectLogit(head, Features(x), labels);
}

/// <summary>The Stacked-MNIST / CIFAR generator (dcgan_shallow): [z, embedding 256] → fc 4×4×512 → three
/// ConvTranspose(4, 2, 1) stages (256, 128, 64) with BatchNorm and ReLU → conv 3×3 → tanh.</summary>
public sealed class DcganGenerator : EmbeddingConditionalGenerator
{
    readonly Linear fc;
    readonly BatchNorm1d fcNorm;
    readonly Sequential body;

    public DcganGenerator(int classes, int channels = 3, int zDim = 128, int embedDim = 256) : base("DcganGenerator", classes, embedDim)
    {
        ZDim = zDim;
        fc = Linear(zDim + embedDim, 4 * 4 * 512);
        fcNorm = BatchNorm1d(4 * 4 * 512);
        body = Sequential(
            ("up1", ConvTranspose2d(512, 256, 4, 2, 1)), ("bn1", BatchNorm2d(256)), ("relu1", ReLU()),
            ("up2", ConvTranspose2d(256, 128, 4, 2, 1)), ("bn2", BatchNorm2d(128)), ("relu2", ReLU()),
            ("up3", ConvTranspose2d(128, 64, 4, 2, 1)), ("bn3", BatchNorm2d(64)), ("relu3", ReLU()),
            ("out", Conv2d(64, channels, 3, padding: 1)), ("tanh", Tanh()));
        RegisterComponents();
    }

    public override int ZDim { get; }

    public override Tensor forward(Tensor z, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var h = functional.relu(fcNorm.forward(fc.forward(Input(z, labels)))).view(-1, 512, 4, 4);
        // The 3×3 output convolution to the image's channels through ChannelPaddedConvolution (its input gradient
        // was NaN on AMD Zen 5 under AVX2); the transposed convolutions have 512, 256, 128 inputs and run as they are.
        foreach (var (_, layer) in body.named_children())
            h = layer is Conv2d conv ? ChannelPaddedConvolution.Forward(conv, h) : ((Module<Tensor, Tensor>)layer).forward(h);
        return h.MoveToOuterDisposeScope();
    }
}

/// <summary>The Stacked-MNIST / CIFAR discriminator (dcgan_shallow): four Conv(4, 2, 1) stages (64, 128, 256, 512)
/// with BatchNorm and leaky ReLU 0.2; D_f is the flattened 512×2×2 output, D_h a masked linear head.</summary>
public sealed class DcganDiscriminator : ClusterConditionalDiscriminator
{
    readonly Sequential body;
    readonly Linear head;

    public DcganDiscriminator(int classes, int channels = 3) : base("DcganDiscriminator")
    {
        Classes = classes;
        body = Sequential(
            ("c1", Conv2d(channels, 64, 4, 2, 1)), ("bn1", BatchNorm2d(64)), ("a1", LeakyReLU(0.2)),
            ("c2", Conv2d(64, 128, 4, 2, 1)), ("bn2", BatchNorm2d(128)), ("a2", LeakyReLU(0.2)),
            ("c3", Conv2d(128, 256, 4, 2, 1)), ("bn3", BatchNorm2d(256)), ("a3", LeakyReLU(0.2)),
            ("c4", Conv2d(256, 512, 4, 2, 1)), ("bn4", BatchNorm2d(512)), ("a4", LeakyReLU(0.2)));
        head = Linear(512 * 2 * 2, classes);
        RegisterComponents();
    }

    public override int Classes { get; }

    public override Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        return body.forward(x).flatten(1).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor x, Tensor labels) => SelectLogit(head, Features(x), labels);
}
