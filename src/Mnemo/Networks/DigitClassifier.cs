using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mnemo.Networks;

/// <summary>
/// The evaluation classifier trained on a dataset's real images (digits, clothes, small colour images): two
/// conv–ReLU–max-pool stages (32, 64 channels), a 128-unit feature layer, dropout, logits. Its 128-d features
/// serve FID-like distances and t-SNE. (The official MeRGAN MNIST classifier is an MLP; a small CNN is more
/// accurate for the same cost.)
/// </summary>
public sealed class DigitClassifier : Module<Tensor, Tensor>
{
    readonly Conv2d conv1, conv2;
    readonly Linear hidden, output;
    readonly Dropout dropout;

    public const int FeatureSize = 128;
    public int Classes { get; }
    public int Channels { get; }
    public int ImageSize { get; }

    public DigitClassifier(int classes, int channels, int imageSize) : base("DigitClassifier")
    {
        Classes = classes; Channels = channels; ImageSize = imageSize;
        conv1 = Conv2d(channels, 32, 3, padding: 1);
        conv2 = Conv2d(32, 64, 3, padding: 1);
        hidden = Linear(64 * (imageSize / 4) * (imageSize / 4), FeatureSize);
        dropout = Dropout(0.3);
        output = Linear(FeatureSize, classes);
        RegisterComponents();
    }

    /// <summary>The 128-d penultimate features (after ReLU).</summary>
    public Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = functional.max_pool2d(functional.relu(conv1.forward(x)), 2);
        h = functional.max_pool2d(functional.relu(conv2.forward(h)), 2);
        return functional.relu(hidden.forward(h.flatten(1))).MoveToOuterDisposeScope();
    }

    /// <summary>Class logits (N×classes) from the features of <see cref="Features"/>: lets an evaluation read both
    /// from one pass over the images.</summary>
    public Tensor Logits(Tensor features) => output.forward(dropout.forward(features));

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Logits(Features(x)).MoveToOuterDisposeScope();
    }
}
