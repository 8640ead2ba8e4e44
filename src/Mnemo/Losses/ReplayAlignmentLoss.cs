using static TorchSharp.torch;

namespace Mnemo.Losses;

/// <summary>How <see cref="ReplayAlignmentLoss"/> weighs the earlier classes. With k earlier classes the replay batch
/// holds batch/k samples of each (the official REDUCE_BATCH split) under both weightings.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(IdEnumConverter<ReplayAlignmentWeighting>))]
public enum ReplayAlignmentWeighting
{
    /// <summary>The official code (mergan.py, RA_loss_fn with REDUCE_BATCH): the summed loss is divided by k, so the
    /// whole replay batch weighs 1/k of what it weighs at the second task.</summary>
    DividedByEarlierClasses,
    /// <summary>Not divided by k: the replay batch weighs the same at every task (a Mnemo deviation for short
    /// schedules, measured in docs/mergan.md).</summary>
    SameEveryTask,
}

/// <summary>
/// MeRGAN replay alignment: pixel-wise L2 between the current generator and the frozen previous one on the same
/// (z, c), as tf.nn.l2_loss (sum of squares / 2), summed over earlier classes and scaled by the factor; the
/// official weighting then divides by the number of earlier classes (mergan.py, RA_loss_fn).
/// </summary>
public static class ReplayAlignmentLoss
{
    /// <param name="current">Current generator's images of the replayed (z, c), [n, C, H, W].</param>
    /// <param name="previous">Frozen previous generator's images of the same (z, c), same shape (no gradient).</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Tensor Compute(Tensor current, Tensor previous, double factor, int previousClassCount,
        ReplayAlignmentWeighting weighting = ReplayAlignmentWeighting.DividedByEarlierClasses)
    {
        if (!current.shape.SequenceEqual(previous.shape))
            throw new ArgumentException("current and previous generator outputs must have the same shape");
        double scale = weighting == ReplayAlignmentWeighting.DividedByEarlierClasses ? factor / Math.Max(1, previousClassCount) : factor;
        return current.sub(previous.detach()).square().sum().div(2.0).mul(scale);
    }
}
