using Mnemo.Continual;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.LabelFree;

/// <summary>
/// The label source of a label-free method: real images are labelled with the cluster ids of a
/// <see cref="TaskClustering"/> (k per task), and the model itself says which cluster an image belongs to. The
/// conditional methods (<see cref="ClusterLabels"/>) generate per cluster and assign with the critic's classifier;
/// label-free DGR (<see cref="ClusterSolverLabels"/>) generates unconditionally and assigns with its solver. The
/// <see cref="LabelFreeEvaluator"/> asks only these two questions, so it never needs to know which method runs.
/// </summary>
public interface IClusterLabels : ILabelSource
{
    /// <summary>k: clusters each task's images get.</summary>
    int ClustersPerTask { get; }

    /// <summary>The model's cluster of each of <paramref name="images"/> (real test images), among the first
    /// <paramref name="seenClusters"/> cluster ids.</summary>
    long[] Assign(MerganModels models, ImageDataset images, int seenClusters);

    /// <summary>Generated images of the clusters of <paramref name="tasks"/> (each task's block of ids), about
    /// <paramref name="perCluster"/> per cluster, each with the cluster it belongs to (one of those ids).</summary>
    GeneratedSamples SampleClusters(MerganModels models, IReadOnlyList<int[]> tasks, int perCluster, IProgressReporter progress);

    /// <summary>The cluster of every image of <paramref name="images"/> through <paramref name="cluster"/> (int64 ids of a
    /// batch), in batches of 500 without gradients.</summary>
    internal static long[] AssignInBatches(ImageDataset images, Func<Tensor, Tensor> cluster) =>
        AssignInBatches(images.Count, (start, n) => images.Batch(arange(start, start + n, dtype: ScalarType.Int64)), cluster);

    /// <summary>The same for a tensor of images (N×C×H×W).</summary>
    internal static long[] AssignInBatches(Tensor images, Func<Tensor, Tensor> cluster) =>
        AssignInBatches((int)images.shape[0], (start, n) => images.narrow(0, start, n), cluster);

    /// <summary>Ids of <paramref name="count"/> images, <paramref name="batch"/>(start, n) giving each batch of up to 500.</summary>
    static long[] AssignInBatches(int count, Func<int, int, Tensor> batch, Func<Tensor, Tensor> cluster)
    {
        var result = new List<long>(count);
        using var _ = no_grad();
        for (int start = 0; start < count; start += 500)
        {
            using var scope = NewDisposeScope();
            result.AddRange(cluster(batch(start, Math.Min(500, count - start))).cpu().data<long>().ToArray());
        }
        return result.ToArray();
    }
}
