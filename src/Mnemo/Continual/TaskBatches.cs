using Mnemo.Data;
using Mnemo.Networks;
using static TorchSharp.torch;

namespace Mnemo.Continual;

/// <summary>What one task trains on: random batches of its real images, the classes of earlier tasks and the frozen
/// generator that replays them.</summary>
/// <param name="data">Real images of the task (its classes; for JT every class seen so far), held on the models'
/// device so that a batch is gathered there.</param>
/// <param name="previousClasses">Classes of earlier tasks.</param>
/// <param name="newClassShare">The task's classes over the classes seen so far.</param>
public sealed class TaskBatches(MerganModels models, ImageDataset data, int[] previousClasses, double newClassShare)
{
    public int[] PreviousClasses => previousClasses;

    /// <summary>The task's classes over the classes seen so far: DGR's share of real images in a batch.</summary>
    public double NewClassShare => newClassShare;

    /// <summary>The frozen previous generator (null in the first task and for methods without replay).</summary>
    public ConditionalGenerator? ReplayGenerator => models.ReplayGenerator;

    /// <summary>Whether earlier classes are replayed: a later task of a method with a replay generator.</summary>
    public bool Replays => previousClasses.Length > 0 && models.ReplayGenerator is not null;

    /// <summary><paramref name="n"/> real images of the task drawn at random, without their labels (the label-free
    /// methods read only these); the same draw as <see cref="Real"/>.</summary>
    public Tensor Images(int n)
    {
        using var idx = randint(0, data.Count, n, dtype: ScalarType.Int64);
        return data.Batch(idx);
    }

    /// <summary><paramref name="n"/> real images of the task drawn at random, and their labels.</summary>
    public (Tensor Images, Tensor Labels) Real(int n)
    {
        var idx = randint(0, data.Count, n, dtype: ScalarType.Int64, device: models.Device);
        return (data.Batch(idx), data.LabelBatch(idx));
    }
}
