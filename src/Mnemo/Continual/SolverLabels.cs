using Mnemo.Networks;
using Mnemo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Continual;

/// <summary>
/// Deep generative replay's labels (Shin et al. 2017): the generator is unconditional and a solver (a classifier)
/// labels its samples. From the second task, the critic's and the solver's "real" batch mixes real images of the
/// new task with samples of the frozen previous generator, labelled by the frozen previous solver, in proportion to
/// how many classes each covers. A class is sampled by keeping the generated images the solver gives its label.
/// Label-free DGR (<see cref="LabelFree.ClusterSolverLabels"/>) runs the same with cluster ids for classes: real
/// images are labelled by a <see cref="LabelFree.TaskClustering"/>, and the solver answers only among the clusters
/// that exist by then (its outputs for later tasks' clusters are untrained).
/// </summary>
/// <param name="classes">Outputs of the solver: the dataset's classes, or k × tasks cluster ids.</param>
/// <param name="device">Where the solver lives (the run's device).</param>
/// <param name="clusters">Label-free DGR: the clustering whose ids label the real images (never their classes);
/// null: DGR, the images' classes.</param>
public sealed class SolverLabels(MerganOptions options, int classes, int channels, Device device, LabelFree.TaskClustering? clusters = null) : ILabelSource
{
    DigitClassifier? _solver;
    DigitClassifier? _replaySolver;
    optim.Optimizer? _optimizer;
    int _task;

    DigitClassifier Solver => _solver ?? throw new InvalidOperationException("the solver is built with the models");

    public int NetworkClasses => 1;

    public void Build()
    {
        _solver = new DigitClassifier(classes, channels, options.ImageSize);
        _solver.to(device);
        _optimizer = NewOptimizer();
    }

    optim.Optimizer NewOptimizer() => optim.Adam(Solver.parameters(), 1e-3);

    public void BeginTask(int task)
    {
        _optimizer?.Dispose();
        _optimizer = NewOptimizer();
        _task = task;
        if (task == 0) return;
        _replaySolver?.Dispose();
        _replaySolver = MerganModels.FrozenCopy(Solver, () => new DigitClassifier(classes, channels, options.ImageSize).to(device));
    }

    /// <summary>Conditions the solver may answer with: null for DGR (all its classes, as before label-free DGR
    /// existed), the clusters of tasks 0..<paramref name="task"/> for label-free DGR.</summary>
    int[]? Among(int task) => clusters?.Conditions.ClassesUpTo(task);

    /// <summary>The task's real images and their labels: classes (DGR) or the task's cluster ids (label-free DGR).</summary>
    (Tensor Images, Tensor Labels) Real(TaskBatches task, int n)
    {
        if (clusters is null) return task.Real(n);
        var images = task.Images(n);
        return (images, clusters.ClusterOf(images));
    }

    /// <summary>Labels of <paramref name="images"/> from <paramref name="solver"/>: argmax over <paramref name="among"/>,
    /// or over every output when null.</summary>
    static Tensor Predict(DigitClassifier solver, Tensor images, int[]? among)
    {
        var logits = solver.forward(images);
        if (among is null) return logits.argmax(1);
        using var ids = tensor(among.Select(c => (long)c).ToArray(), device: logits.device);
        using var restricted = logits.index_select(1, ids);
        using var best = restricted.argmax(1);
        return ids.index_select(0, best);
    }

    /// <summary>The solver's label of each of <paramref name="images"/> (evaluation mode, no gradients), among
    /// <paramref name="among"/> (null: every class); label-free DGR's cluster assignment.</summary>
    public Tensor Classify(Tensor images, int[]? among)
    {
        using var _ = no_grad();
        Solver.eval();
        return Predict(Solver, images, among);
    }

    public (Tensor Images, Tensor Labels) RealBatch(TaskBatches task, int n)
    {
        if (!task.Replays) return Real(task, n);
        int nNew = Math.Clamp((int)Math.Round(n * task.NewClassShare), 1, n - 1);
        var (real, realLabels) = Real(task, nNew);
        using var _ = no_grad();
        var replay = task.ReplayGenerator!.forward(randn(n - nNew, options.ZDim, device: device), zeros(n - nNew, dtype: ScalarType.Int64, device: device));
        // Label-free DGR: the frozen solver answers among the earlier tasks' clusters, the ones the replay stands for.
        var replayLabels = Predict(_replaySolver!, replay, clusters is null ? null : task.PreviousClasses);
        return (cat(new[] { real, replay }), cat(new[] { realLabels, replayLabels }));
    }

    public Tensor FakeLabels(Tensor realLabels) => zeros_like(realLabels);

    public Tensor GeneratorLabels(TaskBatches task, int n) => zeros(n, dtype: ScalarType.Int64, device: device);

    public Tensor? ClassLoss(Tensor logits, Tensor labels) => null;

    /// <summary>One solver step on a batch drawn like the critic's.</summary>
    public Tensor? StepAfterCritic(TaskBatches task, int n)
    {
        using var scope = NewDisposeScope();
        Solver.train();
        var (x, y) = RealBatch(task, n);
        _optimizer!.zero_grad();
        var loss = nn.functional.cross_entropy(Solver.forward(x), y);
        loss.backward();
        _optimizer.step();
        return loss.detach().MoveToOuterDisposeScope();
    }

    /// <summary>Rejection sampling: the generated images the solver labels <paramref name="cls"/>, from at most 50× the
    /// requested number of draws; a class the solver no longer gives comes back with fewer or no images (label-free
    /// DGR: a cluster of a later task, which the solver does not answer yet, comes back with none).</summary>
    public Tensor SampleClass(ConditionalGenerator generator, int cls, int count)
    {
        var parts = new List<Tensor>();
        long have = 0;
        Solver.eval();
        long draws = 0, maxDraws = 50L * count;
        var among = Among(_task);
        if (among is not null && !among.Contains(cls)) maxDraws = 0;
        while (have < count && draws < maxDraws)
        {
            using var scope = NewDisposeScope();
            var images = generator.forward(randn(GeneratorSampling.BatchSize, options.ZDim, device: device), zeros(GeneratorSampling.BatchSize, dtype: ScalarType.Int64, device: device));
            var keep = Predict(Solver, images, among).eq(cls).nonzero().view(-1);
            draws += GeneratorSampling.BatchSize;
            if (keep.shape[0] == 0) continue;
            var kept = images.index_select(0, keep);
            if (have + kept.shape[0] > count) kept = kept.narrow(0, 0, count - have);
            have += kept.shape[0];
            parts.Add(kept.MoveToOuterDisposeScope());
        }
        if (parts.Count == 0) return empty(0, generator.Channels, generator.ImageSize, generator.ImageSize, device: device);
        var result = cat(parts.ToArray());
        foreach (var p in parts) p.Dispose();
        return result;
    }

    /// <summary>Class after class (<see cref="SampleClass"/>): the generator has no classes to mix.</summary>
    public IEnumerable<(int Class, Tensor Images)> SampleGroup(ConditionalGenerator generator, int[] group, int perClass) =>
        group.Select(c => (c, SampleClass(generator, c, perClass))).ToList();

    /// <summary>Each row holds the first samples the solver gives its class, padded with black where it gave fewer.</summary>
    public Tensor ClassRows(ConditionalGenerator generator, IReadOnlyList<int> classes, Tensor fixedNoise)
    {
        int columns = (int)fixedNoise.shape[0];
        var rows = classes.Select(c =>
        {
            var s = SampleClass(generator, c, columns);
            return s.shape[0] == columns ? s : cat(new[] { s, full(columns - s.shape[0], generator.Channels, generator.ImageSize, generator.ImageSize, -1f, device: device) });
        }).ToArray();
        return cat(rows);
    }

    public void Save(Checkpoint checkpoint)
    {
        checkpoint.AddModule("solver", Solver);
        checkpoint.AddOptimizer("solver", _optimizer!);
        if (_replaySolver is not null) checkpoint.AddModule("replay_solver", _replaySolver);
    }

    public void Load(Checkpoint checkpoint)
    {
        checkpoint.LoadModule("solver", Solver);
        checkpoint.LoadOptimizer("solver", _optimizer!);
        if (_replaySolver is not null) checkpoint.LoadModule("replay_solver", _replaySolver);
    }

    public void Dispose()
    {
        _solver?.Dispose();
        _replaySolver?.Dispose();
        _optimizer?.Dispose();
    }
}
