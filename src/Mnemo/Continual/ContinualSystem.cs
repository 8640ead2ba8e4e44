using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.LabelFree;
using Mnemo.SelfConditioned;
using Mnemo.Training;
using Mnemo.Visualization;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Continual;

/// <summary>
/// MeRGAN's hooks into the <see cref="RunEngine"/>: one phase per task of the sequence. A task begins with fresh
/// optimizers and (for replay methods) a frozen copy of the generator; it ends with EWC's consolidation, the
/// paper's evaluation (accuracy per class, FID; reverse accuracy and t-SNE after the last task), the task's
/// sample grid, evaluation.json and accuracy.csv. The label-free methods run the same hooks with cluster ids for
/// conditions (<see cref="IClusterLabels"/>: a block of k per task, clustered before the task's iterations; the
/// generator's conditions, or label-free DGR's solver targets) and are evaluated by the <see cref="LabelFreeEvaluator"/>.
/// </summary>
public sealed class ContinualSystem : ITrainingSystem<StepStats>
{
    public const string Kind = "mergan-continual";

    readonly MerganOptions _o;
    readonly RunFolder _run;
    readonly DatasetSplit _data;
    readonly EvaluationClassifier _classifier;
    readonly IProgressReporter _progress;
    readonly TaskSequence _sequence;
    /// <summary>The conditions task by task: the classes, or for a label-free method its cluster ids (label-free DGR:
    /// its solver's; its generator is unconditional).</summary>
    readonly TaskSequence _conditions;
    readonly LabelFreeEvaluator? _labelFree;
    readonly MerganModels _models;
    readonly Generator _noiseSource;
    readonly Tensor _fixedNoise;
    readonly ClassAccuracyEvaluator _accuracy;
    readonly ReverseAccuracyEvaluator _reverse;
    readonly System.Diagnostics.Stopwatch _taskClock = new();
    MerganStep? _step;
    ImageDataset? _taskData;

    /// <exception cref="MnemoException">Bad settings, a task sequence outside the data's classes, or images of
    /// another size than the settings'.</exception>
    /// <param name="device">Where the run's networks, task images, noise and losses live (default: the CPU).</param>
    public ContinualSystem(MerganOptions options, RunFolder run, DatasetSplit data, EvaluationClassifier classifier, IProgressReporter progress, Device? device = null)
    {
        options.Validate();
        if (data.Train.Height != options.ImageSize)
            throw new MnemoException($"the data has {data.Train.Height}×{data.Train.Width} images but the run expects {options.ImageSize}×{options.ImageSize}");
        _o = options;
        _run = run;
        _data = data;
        _classifier = classifier;
        _progress = progress;
        _sequence = TaskSequence.Parse(options.Tasks, data.Train.ClassCount);
        Fingerprint = RunSettings.Fingerprint(options);
        Seeding.ConfigureThreads(options.Threads);
        Seeding.Seed(options.Seed);
        _models = new MerganModels(options, data.Train.ClassCount, data.Train.Channels, device);
        if (_models.Labels is IClusterLabels clusters)
        {
            _conditions = ClusterLabels.Conditions(clusters.ClustersPerTask, _sequence.Count);
            _labelFree = new LabelFreeEvaluator(classifier, data.Test, _sequence, _conditions, clusters);
        }
        else _conditions = _sequence;
        _noiseSource = new Generator((ulong)options.Seed + 1);
        _fixedNoise = randn(options.GridColumns, options.ZDim, generator: _noiseSource);
        _accuracy = new ClassAccuracyEvaluator(classifier, data.Test, options.Method.DisplayName());
        _reverse = new ReverseAccuracyEvaluator(data.Test, data.Train.ClassCount, progress);
        Results = NewResults();
        Phases = _sequence.Tasks.Select((t, i) => new TrainingPhase($"task {i + 1}", $"task {i + 1}/{_sequence.Count} ({Results.TaskNames[i]}) {options.Method.Id()}", options.IterationsPerTask)).ToList();
    }

    /// <summary>What the run measured so far (complete once the engine finished).</summary>
    public ContinualResults Results { get; private set; }

    public string CheckpointKind => Kind;
    public string Fingerprint { get; }
    public IReadOnlyList<TrainingPhase> Phases { get; }
    public int LogEvery => _o.LogEvery;
    public int CheckpointEvery => _o.CheckpointEvery;
    public int? EvaluateEvery => null;

    string EvaluationPath => Path.Combine(_run.Root, "evaluation.json");
    int[] AllClasses => _sequence.AllClasses;

    ContinualResults NewResults() => new()
    {
        Method = _o.Method,
        Classes = AllClasses,
        ClassNames = AllClasses.Select(c => _data.Train.ClassNames[c]).ToArray(),
        TaskNames = _sequence.Tasks.Select(t => string.Join("+", t.Select(c => _data.Train.ClassNames[c]))).ToList(),
        ClassifierTestAccuracy = _classifier.TestAccuracy,
        LabelFree = _o.Method.IsLabelFree() ? new() : null,
    };

    public void Prepare(int completedPhases, bool resumed)
    {
        if (resumed && File.Exists(EvaluationPath)) Results = ContinualResults.FromJson(EvaluationPath);
        if (_labelFree is not null) Results.LabelFree ??= new();
        Results.KeepTasks(completedPhases);
        // A resume inside a task needs that task's data and step; BeginPhase is not called for it.
        if (completedPhases < _sequence.Count) StartTaskData(completedPhases);
    }

    public void BeginPhase(int phase)
    {
        _models.BeginTask(phase);
        StartTaskData(phase);
    }

    void StartTaskData(int task)
    {
        var seen = _sequence.ClassesUpTo(task);
        bool joint = _o.Method == ContinualMethod.Jt;
        var previous = task == 0 || joint ? Array.Empty<int>() : _conditions.ClassesUpTo(task - 1);
        _taskData?.Dispose();
        _step?.Dispose();
        // The task's images are held on the run's device once (uint8: MNIST's 60,000 images are 47 MB), so a batch is
        // gathered there without a host-to-device copy per step.
        using (var onHost = _data.Train.WhereClass(joint ? seen : _sequence.Tasks[task])) _taskData = onHost.To(_models.Device);
        if (_taskData.Count == 0) throw new MnemoException($"task {task + 1} (classes {string.Join("+", _sequence.Tasks[task])}) has no training images");
        _models.Labels.UseTaskData(task, _taskData);
        _step = new MerganStep(_models, _taskData, previous, (double)_conditions.Tasks[task].Length / _conditions.ClassesUpTo(task).Length);
        _taskClock.Restart();
    }

    public DeviceLosses<StepStats> Step(StepPosition at)
    {
        // A clustering before iteration i is what steps from at.Step + 1 on use: logged there, so that a resume from the
        // checkpoint at at.Step (which drops later records) logs it once.
        if (_models.Labels.BeforeIteration(at.Iteration, at.Step + 1, _models.Critic) is { } clustering) LogClustering(clustering, at);
        return _step!.Run(at.Iteration);
    }

    void LogClustering(ClusteringEvent e, StepPosition at)
    {
        _run.Log(ClusteringRecord.Of(e));
        _progress.Message($"task {at.Phase + 1}, iteration {at.Iteration}: clustered the task's images into {e.Sizes.Count(s => s > 0)} non-empty " +
                          $"clusters (sizes {string.Join(", ", e.Sizes)}), {e.Changed} of {e.Sizes.Sum()} changed cluster");
    }

    public void LogTraining(StepStats losses, StepPosition at, double secondsPerIteration) =>
        _run.Log(ContinualTrainingRecord.Of(losses, at, secondsPerIteration));

    public void AfterStep(StepPosition at) { }

    public void EndPhase(int phase)
    {
        if (_models.Ewc is null) return;
        // No dispose scope here: the anchors and accumulated Fisher must outlive this block.
        var fisher = FisherInformation.OfGenerator(_models, _sequence.Tasks[phase], _o.EwcFisherBatches);
        _models.Ewc.Consolidate(_models.Generator, fisher);
        foreach (var f in fisher.Values) f.Dispose();
    }

    /// <summary>Images generated for the first class for the t-SNE figure after the last task.</summary>
    const int TsneSamples = 300;

    /// <summary>The paper's evaluation after task t: accuracy on generated images of each seen class (null for unseen
    /// ones) and FID through the <see cref="ClassAccuracyEvaluator"/>; after the last task also reverse accuracy and
    /// the t-SNE figure.</summary>
    public void Evaluate(StepPosition at, bool phaseEnd)
    {
        if (_labelFree is not null) { EvaluateLabelFree(at, _labelFree); return; }
        int t = at.Phase;
        var seen = _sequence.ClassesUpTo(t);
        var groups = GenerationGroups(t);
        SampleMetrics metrics;
        using (var samples = GeneratorSampling.SampleClasses(_models, groups, _o.EvalSamplesPerClass, _progress))
            metrics = _accuracy.Evaluate(samples);
        var asked = groups.SelectMany(g => g).ToList();
        var accuracy = AllClasses.Select(c => asked.IndexOf(c) is var k and >= 0 ? metrics.ClassAccuracy![k] : (double?)null).ToArray();
        var average = accuracy.Where(a => a.HasValue).Average(a => a!.Value);
        var fid = metrics.Fid!.Value;
        Results.Accuracy.Add(accuracy);
        Results.AverageAccuracy.Add(average);
        Results.Fid.Add(fid);
        Results.TaskSeconds.Add(_taskClock.Elapsed.TotalSeconds);
        _run.LogImage("samples", SaveTaskGrid(seen, t), at.Step);
        _progress.Message($"after task {t + 1}/{_sequence.Count} ({Results.TaskNames[t]}): accuracy on generated images {average:P1}, FID {fid:0.00}");
        bool last = t == _sequence.Count - 1;
        if (last)
        {
            if (_o.ReverseSamplesPerClass > 0)
            {
                using var all = GeneratorSampling.SampleClasses(_models, GenerationGroups(t), _o.ReverseSamplesPerClass, _progress);
                Results.ReverseAccuracy = _reverse.Evaluate(all).ReverseAccuracy;
            }
            using var first = GeneratorSampling.SampleClasses(_models, [[AllClasses[0]]], TsneSamples, _progress);
            _accuracy.Draw(first, _run);
        }
        var byClass = AllClasses.Select((c, k) => (Name: _data.Train.ClassNames[c], Accuracy: accuracy[k]))
            .Where(a => a.Accuracy.HasValue).ToDictionary(a => a.Name, a => a.Accuracy!.Value);
        _run.Log(new ContinualEvaluationRecord(at.Step, t + 1, average, MetricRecords.Finite(fid), byClass, last ? Results.ReverseAccuracy : null));
        _run.WriteJson("evaluation.json", Results.ToJson());
        AtomicFile.WriteAllText(Path.Combine(_run.Root, "accuracy.csv"), Results.ToCsv());
    }

    /// <summary>The label-free evaluation after task t (labels read only by the evaluator): the model's clusters of
    /// real test images against their classes, generated images of each cluster against the class it is matched to,
    /// FID, the same per earlier task, and after the last task the reverse accuracy.</summary>
    void EvaluateLabelFree(StepPosition at, LabelFreeEvaluator evaluator)
    {
        int t = at.Phase;
        var seen = _sequence.ClassesUpTo(t);
        var result = evaluator.Evaluate(_models, t, _o.EvalSamplesPerClass, _progress);
        var m = result.Metrics;
        var accuracy = AllClasses.Select(c => Array.IndexOf(seen, c) is var k and >= 0 ? result.ClassAccuracy[k] : (double?)null).ToArray();
        var average = result.ClassAccuracy.Average();
        Results.Accuracy.Add(accuracy);
        Results.AverageAccuracy.Add(average);
        Results.Fid.Add(result.Fid);
        Results.TaskSeconds.Add(_taskClock.Elapsed.TotalSeconds);
        Results.LabelFree!.Add(m);
        _run.LogImage("samples", SaveTaskGrid(_conditions.ClassesUpTo(t), t, m.ClusterClasses), at.Step);
        _progress.Message($"after task {t + 1}/{_sequence.Count} ({Results.TaskNames[t]}): cluster accuracy {m.ClusterAccuracy:P1} (NMI {m.ClusterNmi:0.000}, " +
                          $"purity {m.ClusterPurity:P1}); generated-image accuracy {average:P1} after matching clusters to classes, FID {result.Fid:0.00}, " +
                          $"{m.ClassesGenerated} of {seen.Length} classes generated");
        bool last = t == _sequence.Count - 1;
        if (last && _o.ReverseSamplesPerClass > 0)
            Results.ReverseAccuracy = evaluator.ReverseAccuracy(_models, t, _o.ReverseSamplesPerClass, m.ClusterClasses, _progress);
        var byClass = AllClasses.Select((c, k) => (Name: _data.Train.ClassNames[c], Accuracy: accuracy[k]))
            .Where(a => a.Accuracy.HasValue).ToDictionary(a => a.Name, a => a.Accuracy!.Value);
        _run.Log(new ContinualEvaluationRecord(at.Step, t + 1, average, MetricRecords.Finite(result.Fid), byClass, last ? Results.ReverseAccuracy : null));
        _run.Log(LabelFreeEvaluationRecord.Of(at.Step, t + 1, m));
        _run.WriteJson("evaluation.json", Results.ToJson());
        AtomicFile.WriteAllText(Path.Combine(_run.Root, "accuracy.csv"), Results.ToCsv());
    }

    IReadOnlyList<int[]> GenerationGroups(int task) =>
        _labelFree is not null ? _conditions.Tasks.Take(task + 1).ToArray() : GeneratorSampling.TrainingGroups(_o.Method, _sequence, task);

    public void Finish() => ContinualReport.Write(_run, _o, Results);

    public void Save(Checkpoint checkpoint, StepPosition at) => _models.Save(checkpoint);

    public void Load(Checkpoint checkpoint, StepPosition at) => _models.Load(checkpoint, at.Phase);

    /// <summary>The task's grid: one row per condition of the sequence (class, or cluster id for a label-free run),
    /// the same noise in every row.</summary>
    /// <param name="seen">Conditions seen so far.</param>
    /// <param name="clusterClasses">Label-free runs: the class each seen cluster is matched to, shown beside its id.</param>
    /// <returns>The grid's path.</returns>
    string SaveTaskGrid(int[] seen, int task, int[]? clusterClasses = null)
    {
        using var scope = NewDisposeScope();
        var rows = _conditions.AllClasses;
        var grid = GeneratorSampling.ClassRows(_models, rows, _fixedNoise);
        string Name(int c) => clusterClasses is null ? _data.Train.ClassNames[c] : c < clusterClasses.Length ? $"c{c}:{_data.Train.ClassNames[clusterClasses[c]]}" : $"c{c}";
        // Unseen conditions in parentheses; seen ones padded to the same width so every frame of the GIF has one size.
        var labels = rows.Select(c => seen.Contains(c) ? $" {Name(c)} " : $"({Name(c)})").ToArray();
        if (clusterClasses is not null)
        {
            // Cluster rows name their matched class, whose length varies from task to task: one width for every frame.
            int width = 4 + $"c{rows.Max()}:".Length + _data.Train.ClassNames.Max(n => n.Length);
            labels = labels.Select(l => l.PadRight(width)).ToArray();
        }
        var path = Path.Combine(_run.ImagesDir, $"task-{task + 1:D2}.png");
        ImageGrid.SavePng(grid, _o.GridColumns, path, labels, scale: 2);
        return path;
    }

    public void Dispose()
    {
        _taskData?.Dispose();
        _step?.Dispose();
        _fixedNoise.Dispose();
        _noiseSource.Dispose();
        _models.Dispose();
    }
}
