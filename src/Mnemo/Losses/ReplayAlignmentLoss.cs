using static TorchSharp.torch;

namespace Mnemo.Losses;

/// <summary>
/// MeRGAN replay alignment: pixel-wise L2 between the current generator and the frozen previous one on the same
/// (z, c), as tf.nn.l2_loss (sum of squares / 2), summed over earlier classes, scaled by the factor and divided
/// by the number of earlier classes (the official code's REDUCE_BATCH setting for 32×32 data).
/// </summary>
public static class ReplayAlignmentLoss
{
    public static Tensor Compute(Tensor current, Tensor previous, double factor, int previousClassCount)
    {
        if (!current.shape.SequenceEqual(previous.shape))
            throw new ArgumentException("current and previous generator outputs must have the same shape");
        return current.sub(previous.detach()).square().sum().div(2.0).mul(factor / Math.Max(1, previousClassCount));
    }
}
