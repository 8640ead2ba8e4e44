using Mnemo.Evaluation;
using Mnemo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.SelfConditioned;

/// <summary>
/// The Self-Conditioned GAN's hooks into the <see cref="RunEngine"/> (one phase): the non-saturating GAN step with
/// the generator conditioned on the real batch's cluster (or true class, or 0 for the unconditional baseline),
/// re-clustering every <c>ReclusterEvery</c> iterations, and the paper's metrics through an
/// <see cref="ISampleEvaluator"/> every <c>EvalEvery</c> iterations and at the end (metrics.json, report).
/// </summary>
public sealed class SelfCondSystem : ITrainingSystem<SelfCondLosses>
{
    public const string Kind = "selfcond";

    readonly SelfCondOptions _o;
    readonly RunFolder _run;
    readonly SampleSet _train;
    readonly SampleSet _test;
    readonly ISampleEvaluator _evaluator;
    readonly IProgressReporter _progress;
    readonly SelfCondModels _models;
    readonly Tensor _clusterSamples;
    readonly Clusterer _clusterer;
    readonly SelfCondStep _step;

    /// <param name="device">Where the networks, the training samples, noise and losses live (default: the CPU).</param>
    public SelfCondSystem(SelfCondOptions options, RunFolder run, SampleSet train, SampleSet test, ISampleEvaluator evaluator, IProgressReporter progress,
        Device? device = null)
    {
        options.Validate();
        _o = options;
        _run = run;
        _train = train.To(device ?? CPU);
        _test = test;
        _evaluator = evaluator;
        _progress = progress;
        Fingerprint = RunSettings.Fingerprint(options);
        Seeding.ConfigureThreads(options.Threads);
        Seeding.Seed(options.Seed);
        _models = new SelfCondModels(options, train.TrueClasses, train.IsImages ? train.Images!.Channels : 0, device);
        _clusterSamples = ClusterSamples();
        _clusterer = new Clusterer(_clusterSamples, options.K, _models.NewDiscriminator, options.Seed + 23);
        _step = new SelfCondStep(_models, _train, (x, idx) => ConditionFor(x, idx, _train), options.BatchSize, options.ZDim);
        Phases = [new TrainingPhase("", $"{options.Method.Id()} on {options.Dataset}", options.Iterations)];
    }

    /// <summary>The final metrics, once the run finished.</summary>
    public SampleMetrics? Final { get; private set; }

    public string CheckpointKind => Kind;
    public string Fingerprint { get; }
    public IReadOnlyList<TrainingPhase> Phases { get; }
    public int LogEvery => _o.LogEvery;
    public int CheckpointEvery => _o.CheckpointEvery;
    public int? EvaluateEvery => _o.EvalEvery;
    bool Clusters => _o.Method == SelfCondMethod.Selfcond;

    Tensor ClusterSamples()
    {
        // A fixed set of real samples, drawn with its own seed so that a resumed run clusters the same points.
        var rng = new Random(_o.Seed + 7);
        var idx = Enumerable.Range(0, _train.Count).OrderBy(_ => rng.Next()).Take(_o.ClusterSamples).Select(i => (long)i).ToArray();
        using var t = tensor(idx);
        return _train.Batch(t);
    }

    Tensor ConditionFor(Tensor x, Tensor indices, SampleSet set) => _o.Method switch
    {
        SelfCondMethod.Selfcond => _clusterer.Labels(x),
        SelfCondMethod.Supervised => set.TrueLabels(indices),
        _ => zeros(x.shape[0], dtype: ScalarType.Int64, device: x.device),
    };

    public void Prepare(int completedPhases, bool resumed)
    {
        if (resumed && completedPhases == 1) Final = _run.Read<SampleMetrics>().LastOrDefault(m => m.Step == _o.Iterations);
        if (!resumed && Clusters) LogClustering(_clusterer.Cluster(_models.Discriminator, 0));
    }

    public void BeginPhase(int phase) { }

    public DeviceLosses<SelfCondLosses> Step(StepPosition at) => _step.Run();

    /// <summary>A re-clustering reads the discriminator's features on the host: the losses are checked first.</summary>
    public bool NeedsHostAfter(StepPosition at) => Clusters && at.Step % _o.ReclusterEvery == 0 && at.Step < _o.Iterations;

    public void LogTraining(SelfCondLosses losses, StepPosition at, double secondsPerIteration) =>
        _run.Log(new SelfCondTrainingRecord(at.Step, losses.DLoss, losses.GLoss, secondsPerIteration));

    public void AfterStep(StepPosition at)
    {
        if (Clusters && at.Step % _o.ReclusterEvery == 0 && at.Step < _o.Iterations)
            LogClustering(_clusterer.Cluster(_models.Discriminator, at.Step));
    }

    void LogClustering(ClusteringEvent e)
    {
        _run.Log(ClusteringRecord.Of(e));
        _progress.Message($"clustering at iteration {e.Iteration}: {e.Sizes.Count(s => s > 0)} non-empty clusters, " +
                          $"sizes {e.Sizes.Min()}..{e.Sizes.Max()}, {e.Changed} of {e.Sizes.Sum()} samples changed cluster");
    }

    public void EndPhase(int phase) { }

    /// <summary>Generates EvalSamples samples conditioned as in the official evaluation (labels of real test
    /// samples), scores, draws and logs them; at the end also writes metrics.json.</summary>
    public void Evaluate(StepPosition at, bool phaseEnd)
    {
        _models.Generator.eval();
        var conditions = new List<long>();
        using var noise = new Generator((ulong)_o.Seed + 99);
        var rng = new Random(_o.Seed + 5);
        using var samples = new GeneratedSamples(ChunkedSampling.Draw(_o.EvalSamples, 500, n =>
        {
            using var idx = tensor(Enumerable.Range(0, n).Select(_ => (long)rng.Next(_test.Count)).ToArray());
            using var real = _test.Batch(idx);
            using var labels = ConditionFor(real, idx, _test);
            using var y = labels.to(_models.Device);
            using var onHost = labels.cpu();
            conditions.AddRange(onHost.data<long>().ToArray());
            using var noiseOnHost = randn(n, _o.ZDim, generator: noise); // the host generator: the same noise on every device
            using var z = noiseOnHost.to(_models.Device);
            return _models.Generator.forward(z, y);
        }), conditions);
        _models.Generator.train();
        var metrics = _evaluator.Evaluate(samples) with { Step = at.Step };
        _run.Log(metrics);
        _progress.Message($"iteration {at.Step}: " + string.Join(", ", metrics.Scalars().Select(m => $"{m.Name} {m.Value:0.###}")));
        _run.LogImage("samples", _evaluator.Draw(samples, _run), at.Step);
        if (!phaseEnd) return;
        _run.WriteFinal(metrics);
        Final = metrics;
    }

    public void Finish()
    {
        // A run whose last checkpoint came before its final evaluation (the first format wrote it there) evaluates now.
        if (Final is null) Evaluate(new StepPosition(0, _o.Iterations, _o.Iterations), phaseEnd: true);
        SelfCondReport.Write(_run, _o, Final!);
    }

    public void Save(Checkpoint checkpoint, StepPosition at)
    {
        _models.Save(checkpoint);
        if (!Clusters || !_clusterer.IsReady) return;
        checkpoint.AddTensor("centers", _clusterer.Centers);
        checkpoint.AddModule("snapshot", _clusterer.Snapshot);
        checkpoint.Meta["mapping"] = new System.Text.Json.Nodes.JsonArray(_clusterer.Mapping.Select(v => (System.Text.Json.Nodes.JsonNode)v).ToArray());
        checkpoint.Meta["sample_labels"] = new System.Text.Json.Nodes.JsonArray(_clusterer.SampleLabels.Select(v => (System.Text.Json.Nodes.JsonNode)v).ToArray());
        _clusterer.SaveRandomState(checkpoint);
    }

    public void Load(Checkpoint checkpoint, StepPosition at)
    {
        _models.Load(checkpoint);
        if (!Clusters) return;
        _clusterer.Restore(checkpoint.LoadTensor("centers"), Longs(checkpoint, "mapping"), Longs(checkpoint, "sample_labels"),
            d => checkpoint.LoadModule("snapshot", d));
        _clusterer.RestoreRandomState(checkpoint);
    }

    static long[] Longs(Checkpoint checkpoint, string key) =>
        checkpoint.Meta[key]?.AsArray().Select(n => (long)n!).ToArray() ?? throw new MnemoException($"checkpoint has no '{key}'; it was written by a different model or version.");

    public void Dispose()
    {
        _clusterer.Dispose();
        _clusterSamples.Dispose();
        _train.Dispose();
        _models.Dispose();
    }
}
