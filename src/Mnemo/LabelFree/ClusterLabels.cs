using Mnemo.Continual;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Losses;
using Mnemo.Networks;
using Mnemo.SelfConditioned;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.LabelFree;

/// <summary>
/// The label source of the conditional label-free methods (lf-sft, lf-ra, lf-jtr; issue 14, docs/labelfree.md): the
/// trainer never reads a class label. Task t's real images get the clusters t·k … t·k + k − 1 of the
/// <see cref="TaskClustering"/>; the generator is conditioned on the cluster ids and the critic's auxiliary
/// classifier learns them (AC-GAN on clusters); earlier tasks' clusters are frozen and kept only by the method's
/// replay of the frozen previous generator.
/// </summary>
public sealed class ClusterLabels : IClusterLabels
{
    readonly TaskClustering _clustering;
    readonly AcganLabels _sampling;

    /// <param name="clustersPerTask">k: clusters each task's images get.</param>
    /// <param name="tasks">Tasks of the sequence (the networks have k × tasks conditions).</param>
    /// <param name="channels">Image channels (for the critic snapshot).</param>
    /// <exception cref="MnemoException">k or the task count is below 1.</exception>
    public ClusterLabels(MerganOptions options, int clustersPerTask, int tasks, int channels)
        : this(new TaskClustering(options, clustersPerTask, tasks, channels, clustersPerTask * tasks))
    {
    }

    ClusterLabels(TaskClustering clustering)
    {
        _clustering = clustering;
        _sampling = new AcganLabels(NetworkClasses);
    }

    /// <summary>The source for a run: k from the settings (or the largest task of the sequence), one block of k
    /// cluster ids per task.</summary>
    /// <exception cref="MnemoException">A device other than the CPU (<see cref="TaskClustering.For"/>).</exception>
    public static ClusterLabels For(MerganOptions options, int classes, int channels, Device device) =>
        new(TaskClustering.For(options, classes, channels, device, conditions => conditions));

    /// <summary>The generator's conditions task by task: task t owns the cluster ids t·k … t·k + k − 1.</summary>
    public static TaskSequence Conditions(int clustersPerTask, int tasks) =>
        new(Enumerable.Range(0, tasks).Select(t => Enumerable.Range(t * clustersPerTask, clustersPerTask).ToArray()).ToArray());

    /// <summary>k × tasks cluster ids.</summary>
    public int NetworkClasses => _clustering.Conditions.AllClasses.Length;

    public int ClustersPerTask => _clustering.ClustersPerTask;

    /// <summary>The clusterer of the task in progress (null before the task's data arrived).</summary>
    public FeatureClusterer<ConditionalCritic>? Clusterer => _clustering.Clusterer;

    public void Build() { }

    public void BeginTask(int task) { }

    public void UseTaskData(int task, ImageDataset data) => _clustering.UseTaskData(task, data);

    public ClusteringEvent? BeforeIteration(int iteration, long step, ConditionalCritic critic) => _clustering.BeforeIteration(iteration, step, critic);

    /// <summary>Cluster ids (int64, N) of real images under the last clustering: the task's block of ids.</summary>
    public Tensor ClusterOf(Tensor images) => _clustering.ClusterOf(images);

    public (Tensor Images, Tensor Labels) RealBatch(TaskBatches task, int n)
    {
        var images = task.Images(n);
        return (images, ClusterOf(images));
    }

    public Tensor FakeLabels(Tensor realLabels) => realLabels;

    /// <summary>The clusters of a fresh real batch: the empirical cluster distribution (the Self-Conditioned GAN's P_π).</summary>
    public Tensor GeneratorLabels(TaskBatches task, int n)
    {
        using var images = task.Images(n);
        return ClusterOf(images);
    }

    public Tensor? ClassLoss(Tensor logits, Tensor labels) => AuxiliaryClassifierLoss.Compute(logits, labels);

    public Tensor? StepAfterCritic(TaskBatches task, int n) => null;

    public Tensor SampleClass(ConditionalGenerator generator, int cls, int count) => _sampling.SampleClass(generator, cls, count);

    public IEnumerable<(int Class, Tensor Images)> SampleGroup(ConditionalGenerator generator, int[] group, int perClass) =>
        _sampling.SampleGroup(generator, group, perClass);

    public Tensor ClassRows(ConditionalGenerator generator, IReadOnlyList<int> classes, Tensor fixedNoise) =>
        _sampling.ClassRows(generator, classes, fixedNoise);

    /// <summary>The critic's cluster classifier, argmax over the seen clusters.</summary>
    public long[] Assign(MerganModels models, ImageDataset images, int seenClusters) =>
        IClusterLabels.AssignInBatches(images, x => models.Critic.forward(x).ClassLogits.narrow(1, 0, seenClusters).argmax(1));

    /// <summary><paramref name="perCluster"/> images of each cluster, each task's clusters generated together as
    /// training composed its batches (<see cref="GeneratorSampling.SampleClasses"/>).</summary>
    public GeneratedSamples SampleClusters(MerganModels models, IReadOnlyList<int[]> tasks, int perCluster, IProgressReporter progress) =>
        GeneratorSampling.SampleClasses(models, tasks, perCluster, progress);

    /// <summary>The task's clustering (<see cref="TaskClustering.Save"/>).</summary>
    public void Save(Checkpoint checkpoint) => _clustering.Save(checkpoint);

    public void Load(Checkpoint checkpoint) => _clustering.Load(checkpoint);

    public void Dispose() => _clustering.Dispose();
}
