using Mnemo.Continual;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Training;
using Mnemo.Training.TensorBoard;
using static TorchSharp.torch;

namespace Mnemo.LabelFree;

/// <summary>The label-free measurements restricted to one task: its classes' real test images and its own clusters
/// (the block of cluster ids the task created), matched to its own classes, so that a task whose clusters drifted to
/// another task's classes counts as forgotten.</summary>
/// <param name="ClusterAccuracy">Share of the task's real test images that the model assigns to the task's own cluster
/// matched (Hungarian, within the task) to their class; images assigned to another task's clusters count as wrong.</param>
/// <param name="ClusterNmi">NMI of the model's assignment of the task's test images with their classes (any clusters).</param>
/// <param name="ClusterPurity">Purity of that assignment (any clusters).</param>
/// <param name="GeneratedAccuracy">Share of the images generated for the task's clusters that the evaluation classifier
/// gives the class their cluster is matched to among the task's classes (Hungarian within the task).</param>
public sealed record TaskLabelFreeMetrics(double ClusterAccuracy, double ClusterNmi, double ClusterPurity, double GeneratedAccuracy);

/// <summary>One evaluation of a label-free run after a task (labels used only here). Cluster metrics are of the
/// model's assignment of the real test images of the classes seen so far: argmax over the clusters seen so far of the
/// critic's cluster classifier (label-free DGR: of its solver). Generated images of each cluster are labelled by the
/// evaluation classifier; clusters are matched to classes by the Hungarian algorithm on those labels (majority class
/// for clusters beyond the classes).</summary>
/// <param name="ClusterAccuracy">Hungarian-matched accuracy of the assignment, in [0, 1].</param>
/// <param name="ClusterNmi">Normalised mutual information of the assignment and the classes.</param>
/// <param name="ClusterPurity">Purity of the assignment (many-to-one).</param>
/// <param name="GeneratedAccuracy">Share of all generated images classified as their cluster's matched class.</param>
/// <param name="ClassesGenerated">Seen classes that are the majority label of at least one cluster's images.</param>
/// <param name="ClusterClasses">The class each seen cluster is matched to (dataset class ids, by cluster id).</param>
/// <param name="PerTask">The same restricted to each task seen so far (forgetting: an earlier task's values over time).</param>
public sealed record LabelFreeMetrics(double ClusterAccuracy, double ClusterNmi, double ClusterPurity, double GeneratedAccuracy,
    int ClassesGenerated, int[] ClusterClasses, IReadOnlyList<TaskLabelFreeMetrics> PerTask);

/// <summary>Everything one evaluation of a label-free run measured.</summary>
/// <param name="ClassAccuracy">Per seen class (in the order of the sequence's classes seen so far): share of the images
/// of the clusters matched to it that the classifier gives it; 0 for a class no cluster is matched to.</param>
/// <param name="Fid">FID between all generated images and the real test images of the seen classes (classifier features).</param>
public sealed record LabelFreeEvaluationResult(LabelFreeMetrics Metrics, double[] ClassAccuracy, double Fid);

/// <summary>
/// Evaluation of a label-free continual run after each task (docs/labelfree.md): the only place labels are read.
/// </summary>
/// <param name="classifier">The evaluation classifier trained on real data.</param>
/// <param name="test">Real test images with their classes.</param>
/// <param name="sequence">The task sequence in dataset classes.</param>
/// <param name="conditions">The same tasks in cluster ids (<see cref="ClusterLabels.Conditions"/>).</param>
/// <param name="clusters">The run's label source: how its model generates images of a cluster and assigns real images
/// to clusters.</param>
public sealed class LabelFreeEvaluator(EvaluationClassifier classifier, ImageDataset test, TaskSequence sequence, TaskSequence conditions, IClusterLabels clusters)
{
    /// <summary>Generates <paramref name="perCluster"/> images of every cluster of tasks 0..<paramref name="task"/>
    /// (<see cref="IClusterLabels.SampleClusters"/>: per cluster, grouped by task as training generated them; label-free
    /// DGR: as many in all from its unconditional generator, each in the cluster its solver assigns) and measures them
    /// and the model's clustering of real test images.</summary>
    /// <exception cref="ArgumentException">A task outside the sequence.</exception>
    public LabelFreeEvaluationResult Evaluate(MerganModels models, int task, int perCluster, IProgressReporter progress)
    {
        if (task < 0 || task >= sequence.Count) throw new ArgumentException($"task {task} is outside the sequence of {sequence.Count}");
        var seenClasses = sequence.ClassesUpTo(task);
        var seenClusters = conditions.ClassesUpTo(task);
        using var samples = clusters.SampleClusters(models, conditions.Tasks.Take(task + 1).ToArray(), perCluster, progress);
        var predicted = ClassifierTraining.Predict(classifier.Model, samples.Values);
        var clusterClasses = MatchClusters(samples.Conditions, predicted, seenClusters, seenClasses);

        var classAccuracy = seenClasses.Select(c =>
        {
            var mine = Enumerable.Range(0, predicted.Length).Where(i => clusterClasses[(int)samples.Conditions[i]] == c).ToList();
            return mine.Count == 0 ? 0.0 : (double)mine.Count(i => predicted[i] == c) / mine.Count;
        }).ToArray();
        double GeneratedAccuracy(IReadOnlyCollection<int> clusters)
        {
            var mine = Enumerable.Range(0, predicted.Length).Where(i => clusters.Contains((int)samples.Conditions[i])).ToList();
            return mine.Count == 0 ? 0.0 : (double)mine.Count(i => predicted[i] == clusterClasses[(int)samples.Conditions[i]]) / mine.Count;
        }
        int classesGenerated = seenClusters.Select(k => Majority(predicted, samples.Conditions, k)).Where(seenClasses.Contains).Distinct().Count();

        using var real = test.WhereClass(seenClasses);
        var assigned = clusters.Assign(models, real, seenClusters.Length);
        var overall = ClusterAgreement.Of(assigned, real.Labels);
        var perTask = new List<TaskLabelFreeMetrics>();
        for (int j = 0; j <= task; j++)
        {
            var classes = sequence.Tasks[j];
            var block = conditions.Tasks[j];
            var rows = Enumerable.Range(0, real.Count).Where(i => classes.Contains((int)real.Labels[i])).ToList();
            var agreement = rows.Count == 0 ? new ClusterAgreement(0, 0, 0)
                : ClusterAgreement.Of(rows.Select(i => assigned[i]).ToList(), rows.Select(i => real.Labels[i]).ToList());
            double clusterAccuracy = WithinTask(rows.Select(i => (assigned[i], real.Labels[i])).ToList(), block, classes);
            var generated = Enumerable.Range(0, predicted.Length).Where(i => block.Contains((int)samples.Conditions[i]))
                .Select(i => (samples.Conditions[i], predicted[i])).ToList();
            perTask.Add(new TaskLabelFreeMetrics(clusterAccuracy, agreement.Nmi, agreement.Purity, WithinTask(generated, block, classes)));
        }

        double fid;
        using (var idx = arange(real.Count, dtype: ScalarType.Int64))
        using (var realImages = real.Batch(idx))
            fid = FrechetDistance.Compute(ClassifierTraining.Features(classifier.Model, realImages), ClassifierTraining.Features(classifier.Model, samples.Values));

        var metrics = new LabelFreeMetrics(overall.Accuracy, overall.Nmi, overall.Purity, GeneratedAccuracy(seenClusters), classesGenerated,
            seenClusters.Select(k => clusterClasses[k]).ToArray(), perTask);
        return new LabelFreeEvaluationResult(metrics, classAccuracy, fid);
    }

    /// <summary>Reverse accuracy: a classifier trained on <paramref name="perCluster"/> generated images of every
    /// seen cluster, each labelled with its cluster's matched class, tested on the real test images of the seen classes.</summary>
    public double ReverseAccuracy(MerganModels models, int task, int perCluster, int[] clusterClasses, IProgressReporter progress)
    {
        var seenClasses = sequence.ClassesUpTo(task);
        using var samples = clusters.SampleClusters(models, conditions.Tasks.Take(task + 1).ToArray(), perCluster, progress);
        var seenClusters = conditions.ClassesUpTo(task);
        var byCluster = seenClusters.Select((k, i) => (k, c: clusterClasses[i])).ToDictionary(p => p.k, p => p.c);
        // Not disposed: it shares the images of samples.
        var relabelled = new GeneratedSamples(samples.Values, samples.Conditions.Select(k => (long)byCluster[(int)k]).ToList())
        {
            Requested = new ClassRequest(seenClasses, perCluster * seenClusters.Length / Math.Max(1, seenClasses.Length)),
        };
        return new ReverseAccuracyEvaluator(test, test.ClassCount, progress).Evaluate(relabelled).ReverseAccuracy ?? 0;
    }

    /// <summary>Share of (cluster, class) pairs whose cluster is one of the task's <paramref name="block"/> and is matched
    /// to their class, clusters matched to the task's <paramref name="classes"/> by the Hungarian algorithm (majority
    /// for clusters beyond them); 0 without pairs.</summary>
    static double WithinTask(IReadOnlyList<(long Cluster, long Class)> pairs, int[] block, int[] classes)
    {
        if (pairs.Count == 0) return 0;
        var counts = new double[block.Length, classes.Length];
        foreach (var (cluster, cls) in pairs)
        {
            int r = Array.IndexOf(block, (int)cluster), c = Array.IndexOf(classes, (int)cls);
            if (r >= 0 && c >= 0) counts[r, c]++;
        }
        var match = ClusterAgreement.ClassOfEachCluster(counts);
        return match.Select((c, r) => counts[r, c]).Sum() / pairs.Count;
    }

    /// <summary>Class of every cluster id (index: cluster id; −1 for clusters not seen).</summary>
    static int[] MatchClusters(IReadOnlyList<long> conditions, long[] predicted, int[] seenClusters, int[] seenClasses)
    {
        var counts = new double[seenClusters.Length, seenClasses.Length];
        var row = seenClusters.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i);
        var column = seenClasses.Select((c, j) => (c, j)).ToDictionary(p => p.c, p => p.j);
        for (int i = 0; i < predicted.Length; i++)
            if (column.TryGetValue((int)predicted[i], out var j)) counts[row[(int)conditions[i]], j]++;
        var match = ClusterAgreement.ClassOfEachCluster(counts);
        var result = Enumerable.Repeat(-1, seenClusters.Max() + 1).ToArray();
        for (int i = 0; i < seenClusters.Length; i++) result[seenClusters[i]] = seenClasses[match[i]];
        return result;
    }

    static int Majority(long[] predicted, IReadOnlyList<long> conditions, int cluster) =>
        Enumerable.Range(0, predicted.Length).Where(i => conditions[i] == cluster).GroupBy(i => predicted[i])
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => (int)g.Key).DefaultIfEmpty(-1).First();
}

/// <summary>metrics.jsonl: a label-free evaluation after a task (event "label_free"); per-task values are in
/// evaluation.json.</summary>
public sealed record LabelFreeEvaluationRecord(long Step, [property: Position] int Task, double ClusterAccuracy, double ClusterNmi,
    double ClusterPurity, double GeneratedAccuracy, int ClassesGenerated) : IMetricRecord
{
    public static string? Event => "label_free";

    public static LabelFreeEvaluationRecord Of(long step, int task, LabelFreeMetrics m) =>
        new(step, task, m.ClusterAccuracy, m.ClusterNmi, m.ClusterPurity, m.GeneratedAccuracy, m.ClassesGenerated);
}
