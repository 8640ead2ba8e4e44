using static TorchSharp.torch;

namespace Mnemo.Losses;

/// <summary>AC-GAN's auxiliary classification term: mean softmax cross-entropy of the critic's class logits.</summary>
public static class AuxiliaryClassifierLoss
{
    public static Tensor Compute(Tensor logits, Tensor labels) => nn.functional.cross_entropy(logits, labels);

    /// <summary>The fraction of rows whose largest logit is their label, as a scalar float32 tensor on the logits'
    /// device (not read: no host synchronisation).</summary>
    /// <param name="logits">N×K class logits.</param>
    /// <param name="labels">N class indices (int64).</param>
    public static Tensor Accuracy(Tensor logits, Tensor labels) => logits.argmax(1).eq(labels).to_type(ScalarType.Float32).mean();
}
