using System.Diagnostics;
using System.Text.Json.Nodes;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.SelfConditioned;

/// <summary>
/// Trains a Self-Conditioned GAN (or a baseline) with the non-saturating loss, re-clustering periodically, and
/// evaluates with the paper's mode metrics; writes metrics, clustering events, figures and checkpoints.
/// </summary>
public sealed class SelfCondTrainer
{
    public const string CheckpointKind = "selfcond";

    readonly SelfCondOptions _o;
    readonly RunFolder _run;
    readonly SampleSet _train;
    readonly SampleSet _test;
    readonly ISampleEvaluator _evaluator;
    readonly IProgressReporter _progress;
    readonly CheckpointStore _store;
    readonly string _fingerprint;

    public SelfCondTrainer(SelfCondOptions options, RunFolder run, SampleSet train, SampleSet test, ISampleEvaluator evaluator, IProgressReporter? progress = null)
    {
        options.Validate();
        _o = options;
        _run = run;
        _train = train;
        _test = test;
        _evaluator = evaluator;
        _progress = progress ?? NullProgress.Instance;
        _store = new CheckpointStore(run.CheckpointsDir, keep: 2, warn: _progress.Message);
        _fingerprint = Checkpoint.FingerprintOf(options.ToJson());
    }

    public long? StopAfterIterations { get; set; }

    public JsonObject Run(bool resume)
    {
        Seeding.ConfigureThreads(_o.Threads);
        Seeding.Seed(_o.Seed);
        int channels = _train.IsImages ? _train.Images!.Channels : 0;
        using var models = new SelfCondModels(_o, _train.TrueClasses, channels);
        using var clusterSamples = ClusterSamples();
        using var clusterer = new Clusterer(clusterSamples, _o.K, models.NewDiscriminator, _o.Seed + 23);
        var history = new JsonArray();
        long start = 0;
        if (resume && _store.LoadLatest(CheckpointKind, _fingerprint) is { } checkpoint)
        {
            start = checkpoint.Step;
            models.Load(checkpoint);
            if (_o.Method == "selfcond")
            {
                clusterer.Restore(checkpoint.LoadTensor("centers"), ReadLongs(checkpoint.Meta["mapping"]), ReadLongs(checkpoint.Meta["sample_labels"]),
                    d => checkpoint.LoadModule("snapshot", d));
                clusterer.RestoreRandomState(checkpoint);
            }
            checkpoint.RestoreRngState();
            _run.TruncateMetricsAfter(start);
            _progress.Message($"resuming at iteration {start}");
        }
        else if (_o.Method == "selfcond")
        {
            LogClustering(clusterer.Cluster(models.Discriminator, 0));
        }

        _progress.Start($"{_o.Method} on {_o.Dataset}", _o.Iterations);
        var step = new SelfCondStep(models, _train, (x, idx) => ConditionFor(x, idx, _train, clusterer), _o.BatchSize, _o.ZDim);
        var window = Stopwatch.StartNew();
        long doneHere = 0;
        for (long it = start; it < _o.Iterations; it++)
        {
            var (lossD, lossG) = step.Run();
            if (!double.IsFinite(lossD) || !double.IsFinite(lossG))
                throw new MnemoException($"training diverged: a loss became NaN/infinite at iteration {it + 1}; the last good checkpoint is kept in {_run.CheckpointsDir}.");
            long done = it + 1;
            if (done % _o.LogEvery == 0)
            {
                _run.LogMetrics(new JsonObject { ["step"] = done, ["d_loss"] = lossD, ["g_loss"] = lossG, ["seconds_per_iteration"] = window.Elapsed.TotalSeconds / _o.LogEvery });
                window.Restart();
                _progress.Report(done, $"D {lossD:0.000} G {lossG:0.000}");
            }
            if (_o.Method == "selfcond" && done % _o.ReclusterEvery == 0 && done < _o.Iterations)
                LogClustering(clusterer.Cluster(models.Discriminator, done));
            if (done % _o.EvalEvery == 0 && done < _o.Iterations)
                Evaluate(models, clusterer, done, final: false);
            if (done % _o.CheckpointEvery == 0 || done == _o.Iterations) SaveCheckpoint(models, clusterer, done);
            if (StopAfterIterations is { } stop && ++doneHere >= stop && done < _o.Iterations) return new JsonObject { ["stopped_at"] = done };
        }
        var metrics = Evaluate(models, clusterer, _o.Iterations, final: true);
        _run.WriteJson("metrics.json", metrics);
        SelfCondReport.Write(_run, _o, metrics);
        return metrics;
    }

    static long[] ReadLongs(JsonNode? node) => node!.AsArray().Select(n => (long)n!).ToArray();

    Tensor ClusterSamples()
    {
        // A fixed set of real samples, drawn with its own seed so that a resumed run clusters the same points.
        var rng = new Random(_o.Seed + 7);
        var idx = Enumerable.Range(0, _train.Count).OrderBy(_ => rng.Next()).Take(_o.ClusterSamples).Select(i => (long)i).ToArray();
        using var t = tensor(idx);
        return _train.Batch(t);
    }

    Tensor ConditionFor(Tensor x, Tensor indices, SampleSet set, Clusterer clusterer) => _o.Method switch
    {
        "selfcond" => clusterer.Labels(x),
        "supervised" => set.TrueLabels(indices),
        _ => zeros(x.shape[0], dtype: ScalarType.Int64),
    };

    void LogClustering(ClusteringEvent e)
    {
        var record = new JsonObject
        {
            ["step"] = e.Iteration, ["event"] = "clustering", ["changed"] = e.Changed, ["inertia"] = e.Inertia,
            ["nonempty"] = e.Sizes.Count(s => s > 0), ["sizes"] = new JsonArray(e.Sizes.Select(s => (JsonNode)s).ToArray()),
        };
        _run.LogMetrics(record);
        _progress.Message($"clustering at iteration {e.Iteration}: {e.Sizes.Count(s => s > 0)} non-empty clusters, " +
                          $"sizes {e.Sizes.Min()}..{e.Sizes.Max()}, {e.Changed} of {e.Sizes.Sum()} samples changed cluster");
    }

    /// <summary>Generates EvalSamples samples conditioned as in the official evaluation (labels of real test
    /// samples), scores them, logs the result and, at the end, keeps the samples for the figures.</summary>
    JsonObject Evaluate(SelfCondModels m, Clusterer clusterer, long step, bool final)
    {
        m.Generator.eval();
        var samples = new List<Tensor>();
        var conditions = new List<long>();
        using var noise = new Generator((ulong)_o.Seed + 99);
        var rng = new Random(_o.Seed + 5);
        using (no_grad())
            for (int done = 0; done < _o.EvalSamples; done += 500)
            {
                int n = Math.Min(500, _o.EvalSamples - done);
                using var idx = tensor(Enumerable.Range(0, n).Select(_ => (long)rng.Next(_test.Count)).ToArray());
                using var real = _test.Batch(idx);
                using var y = ConditionFor(real, idx, _test, clusterer);
                samples.Add(m.Generator.forward(randn(n, _o.ZDim, generator: noise), y));
                conditions.AddRange(y.data<long>().ToArray());
            }
        m.Generator.train();
        using var all = cat(samples.ToArray());
        foreach (var s in samples) s.Dispose();
        var result = _evaluator.Evaluate(all, conditions.ToArray(), _run, final);
        result["step"] = step;
        result["event"] = "evaluation";
        _run.LogMetrics((JsonObject)result.DeepClone());
        _progress.Message($"iteration {step}: " + string.Join(", ", result.Where(kv => kv.Value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && kv.Key != "step")
            .Select(kv => $"{kv.Key} {double.Parse(kv.Value!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture):0.###}")));
        return result;
    }

    void SaveCheckpoint(SelfCondModels m, Clusterer clusterer, long step)
    {
        var checkpoint = new Checkpoint(CheckpointKind, step, _fingerprint);
        m.Save(checkpoint);
        if (_o.Method == "selfcond" && clusterer.IsReady)
        {
            checkpoint.AddTensor("centers", clusterer.Centers);
            checkpoint.AddModule("snapshot", clusterer.Snapshot);
            checkpoint.Meta["mapping"] = new JsonArray(clusterer.Mapping.Select(v => (JsonNode)v).ToArray());
            checkpoint.Meta["sample_labels"] = new JsonArray(clusterer.SampleLabels.Select(v => (JsonNode)v).ToArray());
            clusterer.SaveRandomState(checkpoint);
        }
        checkpoint.AddRngState();
        _store.Save(checkpoint);
    }
}
