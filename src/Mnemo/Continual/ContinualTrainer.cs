using System.Diagnostics;
using System.Text.Json.Nodes;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Training;
using Mnemo.Visualization;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Continual;

/// <summary>
/// Trains a conditional GAN over a task sequence with one of the six methods, evaluating after every task, writing
/// metrics, per-task sample grids and checkpoints into the run folder, and resuming from the last checkpoint.
/// </summary>
public sealed class ContinualTrainer
{
    public const string CheckpointKind = "mergan-continual";

    readonly MerganOptions _o;
    readonly RunFolder _run;
    readonly DatasetSplit _data;
    readonly EvaluationClassifier _classifier;
    readonly IProgressReporter _progress;
    readonly CheckpointStore _store;
    readonly string _fingerprint;

    public ContinualTrainer(MerganOptions options, RunFolder run, DatasetSplit data, EvaluationClassifier classifier, IProgressReporter? progress = null)
    {
        options.Validate();
        _o = options;
        _run = run;
        _data = data;
        _classifier = classifier;
        _progress = progress ?? NullProgress.Instance;
        _store = new CheckpointStore(run.CheckpointsDir, keep: 2, warn: _progress.Message);
        _fingerprint = Checkpoint.FingerprintOf(options.ToJson());
        if (data.Train.Height != options.ImageSize)
            throw new MnemoException($"the data has {data.Train.Height}×{data.Train.Width} images but the run expects {options.ImageSize}×{options.ImageSize}");
    }

    public string EvaluationPath => Path.Combine(_run.Root, "evaluation.json");

    /// <summary>Stops after this many iterations in total (tests use it to simulate a killed process).</summary>
    public long? StopAfterIterations { get; set; }

    public ContinualResults Run(bool resume)
    {
        var sequence = TaskSequence.Parse(_o.Tasks, _data.Train.ClassCount);
        var allClasses = sequence.AllClasses;
        Seeding.ConfigureThreads(_o.Threads);
        Seeding.Seed(_o.Seed);
        using var models = new MerganModels(_o, _data.Train.ClassCount, _data.Train.Channels);
        using var noiseSource = new Generator((ulong)_o.Seed + 1);
        using var fixedNoise = randn(_o.GridColumns, _o.ZDim, generator: noiseSource);
        var evaluator = new ContinualEvaluator(_classifier, _data, _progress);

        var results = new ContinualResults
        {
            Method = _o.MethodKind.Id(),
            Classes = allClasses,
            ClassNames = allClasses.Select(c => _data.Train.ClassNames[c]).ToArray(),
            TaskNames = sequence.Tasks.Select(t => string.Join("+", t.Select(c => _data.Train.ClassNames[c]))).ToList(),
            ClassifierTestAccuracy = _classifier.TestAccuracy,
        };
        int startTask = 0, startIteration = 0;
        if (resume && _store.LoadLatest(CheckpointKind, _fingerprint) is { } checkpoint)
        {
            startTask = (int)checkpoint.Meta["task"]!;
            startIteration = (int)checkpoint.Meta["next_iteration"]!;
            models.Load(checkpoint, startTask);
            checkpoint.RestoreRngState();
            if (File.Exists(EvaluationPath)) results = ContinualResults.FromJson(EvaluationPath);
            TrimResults(results, startTask + (startIteration >= _o.IterationsPerTask ? 1 : 0));
            _run.TruncateMetricsAfter(GlobalStep(startTask, startIteration));
            _progress.Message($"resuming at task {startTask + 1}, iteration {startIteration} (checkpoint step {checkpoint.Step})");
            if (startIteration >= _o.IterationsPerTask) { startTask++; startIteration = 0; }
            else startIteration = Math.Max(startIteration, 0);
        }
        else if (resume)
        {
            _progress.Message("no checkpoint yet: starting from the beginning");
        }

        long iterationsThisProcess = 0;
        for (int t = startTask; t < sequence.Count; t++)
        {
            bool midTask = t == startTask && startIteration > 0;
            if (!midTask) models.BeginTask(t);
            var seen = sequence.ClassesUpTo(t);
            var previous = t == 0 || _o.MethodKind == ContinualMethod.Jt ? Array.Empty<int>() : sequence.ClassesUpTo(t - 1);
            using var taskData = _data.Train.WhereClass(_o.MethodKind == ContinualMethod.Jt ? seen : sequence.Tasks[t]);
            if (taskData.Count == 0) throw new MnemoException($"task {t + 1} (classes {string.Join("+", sequence.Tasks[t])}) has no training images");
            var step = new MerganStep(models, taskData, previous, (double)sequence.Tasks[t].Length / seen.Length);
            var clock = Stopwatch.StartNew();
            _progress.Start($"task {t + 1}/{sequence.Count} ({results.TaskNames[t]}) {_o.MethodKind.Id()}", _o.IterationsPerTask);
            var window = Stopwatch.StartNew();
            for (int i = midTask ? startIteration : 0; i < _o.IterationsPerTask; i++)
            {
                var stats = step.Run(i);
                CheckFinite(stats, t, i);
                long global = GlobalStep(t, i + 1);
                if ((i + 1) % _o.LogEvery == 0 || i + 1 == _o.IterationsPerTask)
                {
                    double secondsPerIteration = window.Elapsed.TotalSeconds / _o.LogEvery;
                    window.Restart();
                    _run.LogMetrics(MetricsRecord(stats, t, i, global, secondsPerIteration));
                    _progress.Report(i + 1, $"D {stats.CriticLoss:0.00} G {stats.GeneratorLoss:0.00} W {stats.WassersteinEstimate:0.00}");
                }
                iterationsThisProcess++;
                bool taskEnd = i + 1 == _o.IterationsPerTask;
                if (!taskEnd && (i + 1) % _o.CheckpointEvery == 0) SaveCheckpoint(models, t, i + 1);
                if (StopAfterIterations is { } stop && iterationsThisProcess >= stop && !taskEnd) return results;
            }

            if (models.Ewc is not null)
            {
                // No dispose scope here: the anchors and accumulated Fisher must outlive this block.
                var fisher = FisherInformation.OfGenerator(models, sequence.Tasks[t], _o.EwcFisherBatches);
                models.Ewc.Consolidate(models.Generator, fisher);
                foreach (var f in fisher.Values) f.Dispose();
            }
            var (accuracy, average, fid) = evaluator.EvaluateTask(models, allClasses, seen, _o.EvalSamplesPerClass);
            results.Accuracy.Add(accuracy);
            results.AverageAccuracy.Add(average);
            results.Fid.Add(fid);
            results.TaskSeconds.Add(clock.Elapsed.TotalSeconds);
            SaveTaskGrid(models, allClasses, seen, fixedNoise, t);
            _run.LogMetrics(new JsonObject
            {
                ["step"] = GlobalStep(t, _o.IterationsPerTask), ["task"] = t + 1, ["event"] = "evaluation",
                ["average_accuracy"] = average, ["fid"] = double.IsFinite(fid) ? fid : null,
            });
            _progress.Message($"after task {t + 1}/{sequence.Count} ({results.TaskNames[t]}): accuracy on generated images {average:P1}, FID {fid:0.00}");
            if (t == sequence.Count - 1)
            {
                if (_o.ReverseSamplesPerClass > 0)
                    results.ReverseAccuracy = evaluator.ReverseAccuracy(models, allClasses, _o.ReverseSamplesPerClass);
                evaluator.TsneFigure(models, allClasses[0], _data.Train.ClassNames[allClasses[0]], Path.Combine(_run.Root, "figures", "tsne-first-class.png"));
            }
            _run.WriteJson("evaluation.json", results.ToJson());
            AtomicFile.WriteAllText(Path.Combine(_run.Root, "accuracy.csv"), results.ToCsv());
            SaveCheckpoint(models, t, _o.IterationsPerTask);
        }
        ContinualReport.Write(_run, _o, results);
        return results;
    }

    long GlobalStep(int task, int iteration) => (long)task * _o.IterationsPerTask + iteration;

    void SaveCheckpoint(MerganModels models, int task, int nextIteration)
    {
        var checkpoint = new Checkpoint(CheckpointKind, GlobalStep(task, nextIteration), _fingerprint);
        checkpoint.Meta["task"] = task;
        checkpoint.Meta["next_iteration"] = nextIteration;
        models.Save(checkpoint);
        checkpoint.AddRngState();
        _store.Save(checkpoint);
    }

    void CheckFinite(StepStats s, int task, int iteration)
    {
        bool bad = !double.IsFinite(s.CriticLoss) || (iteration > 0 && !double.IsFinite(s.GeneratorLoss));
        if (!bad) return;
        var last = Directory.GetFiles(_run.CheckpointsDir, "step-*.ckpt").OrderBy(f => f, StringComparer.Ordinal).LastOrDefault();
        throw new MnemoException($"training diverged: a loss became {(double.IsNaN(s.CriticLoss) || double.IsNaN(s.GeneratorLoss) ? "NaN" : "infinite")} " +
            $"at task {task + 1}, iteration {iteration}. " +
            (last is null ? "No checkpoint was written yet. " : $"The last good checkpoint is kept: {last}. ") +
            "Lower the learning rate or check the data, then start a new run.");
    }

    static void TrimResults(ContinualResults r, int tasksDone)
    {
        while (r.Accuracy.Count > tasksDone) r.Accuracy.RemoveAt(r.Accuracy.Count - 1);
        while (r.AverageAccuracy.Count > tasksDone) r.AverageAccuracy.RemoveAt(r.AverageAccuracy.Count - 1);
        while (r.Fid.Count > tasksDone) r.Fid.RemoveAt(r.Fid.Count - 1);
        while (r.TaskSeconds.Count > tasksDone) r.TaskSeconds.RemoveAt(r.TaskSeconds.Count - 1);
    }

    static JsonObject MetricsRecord(StepStats s, int task, int iteration, long global, double secondsPerIteration)
    {
        var o = new JsonObject { ["step"] = global, ["task"] = task + 1, ["iteration"] = iteration + 1 };
        void Put(string key, double v) { if (double.IsFinite(v)) o[key] = Math.Round(v, 6); }
        Put("critic_loss", s.CriticLoss);
        Put("wasserstein", s.WassersteinEstimate);
        Put("gradient_penalty", s.GradientPenalty);
        Put("generator_loss", s.GeneratorLoss);
        Put("replay_alignment", s.ReplayAlignment);
        Put("jtr_critic", s.JtrCritic);
        Put("jtr_generator", s.JtrGenerator);
        Put("ewc", s.Ewc);
        Put("solver_loss", s.SolverLoss);
        Put("real_class_accuracy", s.RealClassAccuracy);
        Put("seconds_per_iteration", secondsPerIteration);
        return o;
    }

    void SaveTaskGrid(MerganModels models, int[] allClasses, int[] seen, Tensor fixedNoise, int task)
    {
        using var scope = NewDisposeScope();
        var grid = GeneratorSampling.ClassRows(models, allClasses, fixedNoise);
        // Unseen classes in parentheses; seen ones padded to the same width so every frame of the GIF has one size.
        var labels = allClasses.Select(c => seen.Contains(c) ? $" {_data.Train.ClassNames[c]} " : $"({_data.Train.ClassNames[c]})").ToArray();
        ImageGrid.SavePng(grid, _o.GridColumns, Path.Combine(_run.ImagesDir, $"task-{task + 1:D2}.png"), labels, scale: 2);
    }
}
