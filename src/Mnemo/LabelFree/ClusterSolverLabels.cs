using Mnemo.Continual;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Networks;
using Mnemo.SelfConditioned;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.LabelFree;

/// <summary>
/// The label source of label-free DGR (lf-dgr, docs/labelfree.md): Mnemo's DGR (<see cref="SolverLabels"/>) with
/// cluster ids in place of class labels. The generator and critic are unconditional as in DGR, and from the second
/// task the real batch mixes the task's images with the frozen previous generator's samples in DGR's proportions
/// (the task's clusters over the clusters seen so far). The task's real images are labelled with the
/// <see cref="TaskClustering"/>'s ids (k-means on the critic's features, as every label-free method), the replayed
/// ones with the frozen previous solver's argmax over the earlier clusters, and the solver learns those ids, never a
/// class. The solver is the model's cluster assignment: of generated images and of real test images alike.
/// </summary>
public sealed class ClusterSolverLabels : IClusterLabels
{
    readonly TaskClustering _clustering;
    readonly SolverLabels _solver;

    /// <param name="clustering">The clustering of the run's tasks (its snapshot of DGR's one-output critic).</param>
    /// <param name="device">Where the solver lives (the run's device).</param>
    public ClusterSolverLabels(MerganOptions options, TaskClustering clustering, int channels, Device device)
    {
        _clustering = clustering;
        _solver = new SolverLabels(options, clustering.Conditions.AllClasses.Length, channels, device, clustering);
    }

    /// <summary>The source for a run: k from the settings (or the largest task of the sequence), a solver over k × tasks
    /// cluster ids.</summary>
    /// <exception cref="MnemoException">A device other than the CPU (<see cref="TaskClustering.For"/>).</exception>
    public static ClusterSolverLabels For(MerganOptions options, int classes, int channels, Device device) =>
        new(options, TaskClustering.For(options, classes, channels, device, _ => 1), channels, device);

    /// <summary>1: the generator and critic are unconditional, as DGR's.</summary>
    public int NetworkClasses => 1;

    public int ClustersPerTask => _clustering.ClustersPerTask;

    /// <summary>The clusterer of the task in progress (null before the task's data arrived).</summary>
    public FeatureClusterer<ConditionalCritic>? Clusterer => _clustering.Clusterer;

    public void Build() => _solver.Build();

    public void BeginTask(int task) => _solver.BeginTask(task);

    public void UseTaskData(int task, ImageDataset data) => _clustering.UseTaskData(task, data);

    public ClusteringEvent? BeforeIteration(int iteration, long step, ConditionalCritic critic) => _clustering.BeforeIteration(iteration, step, critic);

    public (Tensor Images, Tensor Labels) RealBatch(TaskBatches task, int n) => _solver.RealBatch(task, n);

    public Tensor FakeLabels(Tensor realLabels) => _solver.FakeLabels(realLabels);

    public Tensor GeneratorLabels(TaskBatches task, int n) => _solver.GeneratorLabels(task, n);

    public Tensor? ClassLoss(Tensor logits, Tensor labels) => _solver.ClassLoss(logits, labels);

    public Tensor? StepAfterCritic(TaskBatches task, int n) => _solver.StepAfterCritic(task, n);

    /// <summary>The generated images the solver assigns to cluster <paramref name="cls"/> (rejection sampling as DGR's).</summary>
    public Tensor SampleClass(ConditionalGenerator generator, int cls, int count) => _solver.SampleClass(generator, cls, count);

    public IEnumerable<(int Class, Tensor Images)> SampleGroup(ConditionalGenerator generator, int[] group, int perClass) =>
        _solver.SampleGroup(generator, group, perClass);

    public Tensor ClassRows(ConditionalGenerator generator, IReadOnlyList<int> classes, Tensor fixedNoise) =>
        _solver.ClassRows(generator, classes, fixedNoise);

    /// <summary>The solver's argmax over the seen clusters.</summary>
    public long[] Assign(MerganModels models, ImageDataset images, int seenClusters)
    {
        var among = Enumerable.Range(0, seenClusters).ToArray();
        return IClusterLabels.AssignInBatches(images, x => _solver.Classify(x, among));
    }

    /// <summary><paramref name="perCluster"/> × |clusters| images drawn from the unconditional generator at once, each
    /// given the cluster the solver assigns it among the clusters of <paramref name="tasks"/>, ordered by cluster. Not
    /// DGR's rejection sampling per class: that refills a cluster the generator has nearly stopped drawing from up to
    /// 50× the draws, hiding forgetting and multiplying the cost; the generator's own output shows a forgotten cluster
    /// as few or no images, and a cluster without images counts as wrong in every measure.</summary>
    public GeneratedSamples SampleClusters(MerganModels models, IReadOnlyList<int[]> tasks, int perCluster, IProgressReporter progress)
    {
        var clusters = tasks.SelectMany(t => t).ToArray();
        progress.Start("sampling", 1);
        using var images = GeneratorSampling.Unconditional(models, (long)perCluster * clusters.Length);
        var assigned = IClusterLabels.AssignInBatches(images, x => _solver.Classify(x, clusters));
        progress.Report(1);
        var order = Enumerable.Range(0, assigned.Length).OrderBy(i => Array.IndexOf(clusters, (int)assigned[i])).ThenBy(i => i).ToArray();
        using var idx = tensor(order.Select(i => (long)i).ToArray(), device: images.device);
        return new GeneratedSamples(images.index_select(0, idx), order.Select(i => assigned[i]).ToList());
    }

    /// <summary>The solver with its frozen copy and the task's clustering.</summary>
    public void Save(Checkpoint checkpoint)
    {
        _solver.Save(checkpoint);
        _clustering.Save(checkpoint);
    }

    public void Load(Checkpoint checkpoint)
    {
        _solver.Load(checkpoint);
        _clustering.Load(checkpoint);
    }

    public void Dispose()
    {
        _solver.Dispose();
        _clustering.Dispose();
    }
}
