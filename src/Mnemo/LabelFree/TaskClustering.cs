using System.Text.Json.Nodes;
using Mnemo.Continual;
using Mnemo.Data;
using Mnemo.Networks;
using Mnemo.SelfConditioned;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.LabelFree;

/// <summary>
/// The clustering every label-free method labels its real images with (docs/labelfree.md): task t's images get the
/// clusters t·k … t·k + k − 1, k-means on critic features of a fixed sample of the task's images (the
/// Self-Conditioned GAN's clustering, Liu et al. CVPR 2020), first at the task's first iteration with k-means++ (on a
/// freshly initialised critic, or on the critic trained so far: <see cref="MerganOptions.FirstClustering"/>), then
/// every <see cref="MerganOptions.EffectiveReclusterEvery"/> iterations from the previous means, Hungarian-matched so
/// that every cluster id keeps its images. A real batch is labelled through the critic snapshot of the last
/// clustering. Shared by the conditional label-free methods (<see cref="ClusterLabels"/>) and label-free DGR
/// (<see cref="ClusterSolverLabels"/>), so both cluster, checkpoint and resume alike.
/// </summary>
public sealed class TaskClustering : IDisposable
{
    readonly MerganOptions _o;
    readonly int _k;
    readonly int _channels;
    readonly int _criticClasses;
    FeatureClusterer<ConditionalCritic>? _clusterer;
    Tensor? _samples;
    int _task = -1;
    (int Task, Checkpoint Checkpoint)? _pending;

    /// <param name="clustersPerTask">k: clusters each task's images get.</param>
    /// <param name="tasks">Tasks of the sequence.</param>
    /// <param name="channels">Image channels (for the critic snapshot).</param>
    /// <param name="criticClasses">Outputs of the critic's classifier head (k × tasks for an AC-GAN on clusters, 1 for
    /// DGR's unconditional critic), so that the snapshot has the critic's shape.</param>
    /// <exception cref="MnemoException">k or the task count is below 1.</exception>
    public TaskClustering(MerganOptions options, int clustersPerTask, int tasks, int channels, int criticClasses)
    {
        if (clustersPerTask < 1 || tasks < 1) throw new MnemoException("the label-free methods need at least one cluster per task and one task");
        _o = options;
        _k = clustersPerTask;
        _channels = channels;
        _criticClasses = criticClasses;
        Conditions = ClusterLabels.Conditions(clustersPerTask, tasks);
    }

    /// <summary>The clustering for a run: k from the settings (or the largest task of the sequence).</summary>
    /// <exception cref="MnemoException">A device other than the CPU: the clusterer works on host tensors (not yet
    /// checked on CUDA).</exception>
    public static TaskClustering For(MerganOptions options, int classes, int channels, Device device, Func<int, int> criticClasses)
    {
        if (device.type != TorchSharp.DeviceType.CPU)
            throw new MnemoException($"the label-free methods ({ContinualMethods.LabelFreeIds}) run on the CPU only for now (their clustering works on host " +
                                     $"tensors); use --device cpu, not {device}");
        var sequence = TaskSequence.Parse(options.Tasks, classes);
        int k = options.EffectiveClustersPerTask(sequence);
        return new TaskClustering(options, k, sequence.Count, channels, criticClasses(k * sequence.Count));
    }

    /// <summary>k: clusters per task.</summary>
    public int ClustersPerTask => _k;

    /// <summary>The cluster ids task by task (<see cref="ClusterLabels.Conditions"/>).</summary>
    public TaskSequence Conditions { get; }

    /// <summary>The clusterer of the task in progress (null before the task's data arrived).</summary>
    public FeatureClusterer<ConditionalCritic>? Clusterer => _clusterer;

    /// <summary>Takes the task's real images: a fixed sample of at most <see cref="MerganOptions.ClusterSamples"/> of
    /// them, drawn with a seed of its own (so that a resumed run clusters the same images), is what k-means clusters.
    /// Only images are read, never labels.</summary>
    /// <exception cref="MnemoException">The task has fewer images than clusters.</exception>
    public void UseTaskData(int task, ImageDataset data)
    {
        if (data.Count < _k) throw new MnemoException($"task {task + 1} has {data.Count} images, fewer than its {_k} clusters (--clusters-per-task)");
        _clusterer?.Dispose();
        _samples?.Dispose();
        _task = task;
        var rng = new Random(_o.Seed + 7 + 1009 * task);
        int n = Math.Min(_o.ClusterSamples ?? MerganOptions.DefaultClusterSamples, data.Count);
        var idx = Enumerable.Range(0, data.Count).OrderBy(_ => rng.Next()).Take(n).Select(i => (long)i).ToArray();
        using (var t = tensor(idx)) _samples = data.Batch(t);
        _clusterer = new FeatureClusterer<ConditionalCritic>(_samples, _k, () => NewCritic(), _o.Seed + 23 + 1009 * task);
    }

    /// <summary>A critic of the run's shape built without drawing from the global random source, so that a resume that
    /// restores the clustering (after the random state) draws the same numbers in training as an uninterrupted run.
    /// Null seed: for the clusterer's snapshot, whose weights are overwritten at once; a seed: the random critic of a
    /// task's first clustering, the same on every run with the same seed.</summary>
    ConditionalCritic NewCritic(int? seed = null)
    {
        using var state = TorchSharp.torch.random.get_rng_state();
        try
        {
            if (seed is { } s) TorchSharp.torch.random.manual_seed(s);
            return ConditionalCritic.ForImageSize(_criticClasses, _channels, _o.ImageSize, _o.Dim);
        }
        finally { TorchSharp.torch.random.set_rng_state(state); }
    }

    /// <summary>Before iteration <paramref name="iteration"/> of the task: the first clustering (iteration 0, or a
    /// resume restoring the checkpointed one) and every re-clustering.</summary>
    /// <param name="step">The run's step, recorded with the clustering.</param>
    /// <returns>What the clustering did, with sizes of the task's own k clusters; null when it did not cluster.</returns>
    public ClusteringEvent? BeforeIteration(int iteration, long step, ConditionalCritic critic)
    {
        var clusterer = _clusterer ?? throw new InvalidOperationException("the task's data has not been given");
        if (!clusterer.IsReady)
        {
            if (_pending is { } p && p.Task == _task) Restore(clusterer, p.Checkpoint);
            else
            {
                _pending = null;
                if (_o.EffectiveFirstClustering == FirstClustering.Critic) return clusterer.Cluster(critic, step);
                using var fresh = NewCritic(seed: _o.Seed + 31 + 1009 * _task);
                return clusterer.Cluster(fresh, step);
            }
            _pending = null;
        }
        return iteration > 0 && iteration % _o.EffectiveReclusterEvery == 0 ? clusterer.Cluster(critic, step) : null;
    }

    /// <summary>Cluster ids (int64, N) of real images under the last clustering: the task's block of ids.</summary>
    public Tensor ClusterOf(Tensor images)
    {
        var clusterer = _clusterer is { IsReady: true } c ? c : throw new InvalidOperationException("the task's images are not clustered yet");
        using var local = clusterer.Labels(images);
        return local.add(_task * _k);
    }

    const string TaskKey = "cluster_task", CentersSection = "cluster_centers", SnapshotSection = "cluster_snapshot",
        MappingKey = "cluster_mapping", SampleLabelsKey = "cluster_sample_labels";

    /// <summary>The task's clustering: centres, the critic snapshot, the matching, the samples' labels and the
    /// clusterer's random state (nothing before the task's first clustering).</summary>
    public void Save(Checkpoint checkpoint)
    {
        if (_clusterer is not { IsReady: true } c) return;
        checkpoint.Meta[TaskKey] = _task;
        checkpoint.AddTensor(CentersSection, c.Centers);
        checkpoint.AddModule(SnapshotSection, c.Snapshot);
        checkpoint.Meta[MappingKey] = new JsonArray(c.Mapping.Select(v => (JsonNode)v).ToArray());
        checkpoint.Meta[SampleLabelsKey] = new JsonArray(c.SampleLabels.Select(v => (JsonNode)v).ToArray());
        c.SaveRandomState(checkpoint);
    }

    /// <summary>Keeps the checkpoint's clustering until its task's data arrives (<see cref="BeforeIteration"/> restores it).</summary>
    public void Load(Checkpoint checkpoint)
    {
        _pending = checkpoint.Meta[TaskKey] is { } task ? ((int)task, checkpoint) : null;
    }

    static void Restore(FeatureClusterer<ConditionalCritic> clusterer, Checkpoint checkpoint)
    {
        clusterer.Restore(checkpoint.LoadTensor(CentersSection), Longs(checkpoint, MappingKey), Longs(checkpoint, SampleLabelsKey),
            d => checkpoint.LoadModule(SnapshotSection, d));
        clusterer.RestoreRandomState(checkpoint);
    }

    static long[] Longs(Checkpoint checkpoint, string key) =>
        checkpoint.Meta[key]?.AsArray().Select(n => (long)n!).ToArray()
        ?? throw new MnemoException($"checkpoint has no '{key}'; it was written by a different model or version.");

    public void Dispose()
    {
        _clusterer?.Dispose();
        _samples?.Dispose();
    }
}
