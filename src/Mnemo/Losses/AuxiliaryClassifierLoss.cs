using static TorchSharp.torch;

namespace Mnemo.Losses;

/// <summary>AC-GAN's auxiliary classification term: mean softmax cross-entropy of the critic's class logits.</summary>
public static class AuxiliaryClassifierLoss
{
    public static Tensor Compute(Tensor logits, Tensor labels) => nn.functional.cross_entropy(logits, labels);

    public static double Accuracy(Tensor logits, Tensor labels)
    {
        using var correct = logits.argmax(1).eq(labels).to_type(ScalarType.Float32).mean();
        return correct.item<float>();
    }
}
