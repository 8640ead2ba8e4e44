using System.Diagnostics;
using System.Text.Json.Nodes;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Networks;
using Mnemo.Training;
using Mnemo.Visualization;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.MemoryGan;

/// <summary>
/// Trains MemoryGAN: the discriminative memory network (query network μ + memory) against the memory-conditional
/// generator, with the mutual-information term; logs losses and memory statistics, evaluates with the dataset's
/// classifier (label histogram of generated samples, FID and IS on classifier features), draws slot grids.
/// </summary>
public sealed class MemoryGanTrainer
{
    public const string CheckpointKind = "memorygan";
    const double Clip = 1e-3; // the official CE clips D(x) into [1e-3, 1 − 1e-3]

    readonly MemoryGanOptions _o;
    readonly RunFolder _run;
    readonly DatasetSplit _data;
    readonly EvaluationClassifier _classifier;
    readonly IProgressReporter _progress;
    readonly CheckpointStore _store;
    readonly string _fingerprint;

    public MemoryGanTrainer(MemoryGanOptions options, RunFolder run, DatasetSplit data, EvaluationClassifier classifier, IProgressReporter? progress = null)
    {
        options.Validate();
        _o = options; _run = run; _data = data; _classifier = classifier;
        _progress = progress ?? NullProgress.Instance;
        _store = new CheckpointStore(run.CheckpointsDir, keep: 2, warn: _progress.Message);
        _fingerprint = Checkpoint.FingerprintOf(options.ToJson());
    }

    public long? StopAfterIterations { get; set; }

    sealed class Models : IDisposable
    {
        public required MemoryQueryNetwork Query;
        public required nn.Module<Tensor, Tensor> PlainHead;
        public required MemoryGenerator Generator;
        public required DiscriminativeMemory Memory;
        public required optim.Optimizer DOptimizer, GOptimizer;

        public void Dispose()
        {
            Query.Dispose(); PlainHead.Dispose(); Generator.Dispose(); Memory.Dispose(); DOptimizer.Dispose(); GOptimizer.Dispose();
        }
    }

    public JsonObject Run(bool resume)
    {
        Seeding.ConfigureThreads(_o.Threads);
        Seeding.Seed(_o.Seed);
        int channels = _data.Train.Channels;
        var query = new MemoryQueryNetwork(channels, _o.KeyDim);
        // The ablation's plain head: leaky ReLU then a linear unit, as a DCGAN discriminator ends. A linear unit
        // straight on μ(x) cannot work: μ ends in batch norm and real and fake batches go through it separately, so
        // each batch's mean logit is the bias and D cannot tell the batches apart (measured: D ≡ 0.5 for 2,000 steps).
        var head = nn.Sequential(("act", nn.LeakyReLU(0.2)), ("linear", nn.Linear(_o.KeyDim, 1)));
        var generator = new MemoryGenerator(_o.ZDim, _o.KeyDim, channels);
        var dParameters = query.parameters().Concat(head.parameters());
        using var m = new Models
        {
            Query = query, PlainHead = head, Generator = generator,
            Memory = new DiscriminativeMemory(_o.MemorySize, _o.KeyDim, _o.TopK, _o.Kappa, _o.Alpha, _o.Beta, _o.EmIterations),
            DOptimizer = optim.Adam(dParameters, _o.LearningRate, _o.Beta1, _o.Beta2),
            GOptimizer = optim.Adam(generator.parameters(), _o.LearningRate, _o.Beta1, _o.Beta2),
        };
        long start = 0;
        if (resume && _store.LoadLatest(CheckpointKind, _fingerprint) is { } checkpoint)
        {
            start = checkpoint.Step;
            checkpoint.LoadModule("query", m.Query);
            if (_o.NoMemory) checkpoint.LoadModule("head", m.PlainHead);
            checkpoint.LoadModule("generator", m.Generator);
            checkpoint.LoadOptimizer("d", m.DOptimizer);
            checkpoint.LoadOptimizer("g", m.GOptimizer);
            m.Memory.Restore(checkpoint.LoadTensor("keys"), checkpoint.LoadTensor("values"), checkpoint.LoadTensor("ages"), checkpoint.LoadTensor("histogram"));
            checkpoint.RestoreRngState();
            _run.TruncateMetricsAfter(start);
            _progress.Message($"resuming at iteration {start}");
        }

        _progress.Start($"MemoryGAN{(_o.NoMemory ? " (no memory)" : "")} on {_o.Dataset}", _o.Iterations);
        var clock = Stopwatch.StartNew();
        int replacements = 0, updates = 0;
        long doneHere = 0;
        for (long it = start; it < _o.Iterations; it++)
        {
            var (lossD, lossG, mi, dReal, dFake, step) = Step(m);
            replacements += step.Replacements; updates += step.Queries;
            if (!double.IsFinite(lossD) || !double.IsFinite(lossG))
                throw new MnemoException($"training diverged: a loss became NaN/infinite at iteration {it + 1}; the last good checkpoint is kept in {_run.CheckpointsDir}.");
            long done = it + 1;
            if (done % _o.LogEvery == 0)
            {
                _run.LogMetrics(new JsonObject
                {
                    ["step"] = done, ["d_loss"] = lossD, ["g_loss"] = lossG, ["mi"] = mi, ["d_real"] = dReal, ["d_fake"] = dFake,
                    ["memory_real_fraction"] = m.Memory.RealFraction,
                    ["replacements_per_step"] = (double)replacements / _o.LogEvery,
                    ["replaced_share"] = updates == 0 ? 0 : (double)replacements / updates,
                    ["slots_in_use"] = m.Memory.Histogram.gt(1e-3).sum().item<long>(),
                    ["seconds_per_iteration"] = clock.Elapsed.TotalSeconds / _o.LogEvery,
                });
                replacements = 0; updates = 0;
                clock.Restart();
                _progress.Report(done, $"D {lossD:0.000} G {lossG:0.000} real slots {m.Memory.RealFraction:P0}");
            }
            if (done % _o.EvalEvery == 0 && done < _o.Iterations) Evaluate(m, done, final: false);
            if (done % _o.CheckpointEvery == 0 || done == _o.Iterations) SaveCheckpoint(m, done);
            if (StopAfterIterations is { } stop && ++doneHere >= stop && done < _o.Iterations) return new JsonObject { ["stopped_at"] = done };
        }
        var metrics = Evaluate(m, _o.Iterations, final: true);
        _run.WriteJson("metrics.json", metrics);
        MemoryGanReport.Write(_run, _o, metrics);
        return metrics;
    }

    /// <summary>Keys for the generator: memory slots drawn ∝ h·v (or random unit vectors without memory).</summary>
    Tensor SampleKeys(Models m, int n, Generator? generator = null)
    {
        if (_o.NoMemory) return nn.functional.normalize(randn(n, _o.KeyDim, generator: generator), p: 2, dim: 1);
        using var slots = m.Memory.SampleRealSlots(n, generator);
        return m.Memory.Keys.index_select(0, slots);
    }

    Tensor RealProbability(Models m, Tensor q) =>
        _o.NoMemory ? m.PlainHead.forward(q).view(-1).sigmoid() : m.Memory.RealProbability(q);

    /// <summary>The mutual-information lower bound E[κ K_iᵀ μ(G(z, K_i))] (to be maximised), with unit queries.</summary>
    Tensor MutualInformation(Tensor fakeQuery, Tensor keys) =>
        DiscriminativeMemory.Normalize(fakeQuery).mul(keys).sum(1).mean().mul(_o.Kappa);

    Tensor Z(int n) => rand(n, _o.ZDim).mul(2).sub(1); // uniform in [-1, 1] as the official get_z

    (double D, double G, double Mi, double DReal, double DFake, MemoryUpdate Update) Step(Models m)
    {
        using var scope = NewDisposeScope();
        int b = _o.BatchSize;
        var idx = randint(0, _data.Train.Count, b, dtype: ScalarType.Int64);
        var real = _data.Train.Batch(idx);
        var keys = SampleKeys(m, b);
        Tensor fake;
        using (no_grad()) fake = m.Generator.forward(Z(b), keys);

        m.DOptimizer.zero_grad();
        var qReal = m.Query.forward(real);
        var qFake = m.Query.forward(fake);
        var dReal = RealProbability(m, qReal).clamp(Clip, 1 - Clip);
        var dFake = RealProbability(m, qFake).clamp(Clip, 1 - Clip);
        var miD = MutualInformation(qFake, keys);
        var lossD = dReal.log().mean().neg().sub(dFake.neg().add(1).log().mean()).sub(miD.mul(_o.MiWeight));
        lossD.backward();
        m.DOptimizer.step();
        var update = new MemoryUpdate(0, 0, 0);
        if (!_o.NoMemory)
        {
            var u1 = m.Memory.Update(qReal.detach(), ones(b));
            var u2 = m.Memory.Update(qFake.detach(), zeros(b));
            update = new MemoryUpdate(u1.Queries + u2.Queries, u1.Replacements + u2.Replacements, u1.EmUpdates + u2.EmUpdates);
        }

        foreach (var p in m.Query.parameters().Concat(m.PlainHead.parameters())) p.requires_grad = false;
        m.GOptimizer.zero_grad();
        var keysG = SampleKeys(m, b);
        var fakeG = m.Generator.forward(Z(b), keysG);
        var qG = m.Query.forward(fakeG);
        var dG = RealProbability(m, qG).clamp(Clip, 1 - Clip);
        var miG = MutualInformation(qG, keysG);
        // The official 'jsd' loss: the generator minimises log(1 − D(G(z))) (the saturating minimax form).
        var lossG = dG.neg().add(1).log().mean().sub(miG.mul(_o.MiWeight));
        lossG.backward();
        m.GOptimizer.step();
        foreach (var p in m.Query.parameters().Concat(m.PlainHead.parameters())) p.requires_grad = true;
        return (lossD.item<float>(), lossG.item<float>(), miG.item<float>(), dReal.mean().item<float>(), dFake.mean().item<float>(), update);
    }

    JsonObject Evaluate(Models m, long step, bool final)
    {
        m.Generator.eval();
        using var noise = new Generator((ulong)_o.Seed + 99);
        var parts = new List<Tensor>();
        using (no_grad())
            for (int done = 0; done < _o.EvalSamples; done += 500)
            {
                int n = Math.Min(500, _o.EvalSamples - done);
                using var keys = SampleKeys(m, n, noise);
                using var z = rand(n, _o.ZDim, generator: noise).mul(2).sub(1);
                parts.Add(m.Generator.forward(z, keys));
            }
        using var samples = cat(parts.ToArray());
        foreach (var p in parts) p.Dispose();
        var predicted = ClassifierTraining.Predict(_classifier.Model, samples);
        var histogram = new int[_data.Train.ClassCount];
        foreach (var c in predicted) histogram[c]++;
        using var realIdx = arange(Math.Min(_data.Test.Count, 10_000), dtype: ScalarType.Int64);
        using var real = _data.Test.Batch(realIdx);
        var features = new ClassifierFeatures(_classifier, _o.Dataset);
        var (fakeFeatures, logits) = features.Extract(samples);
        var fid = FrechetDistance.Compute(ClassifierTraining.Features(_classifier.Model, real), fakeFeatures);
        var (isMean, isStd) = InceptionScore.FromLogits(logits);
        var result = new JsonObject
        {
            ["step"] = step, ["event"] = "evaluation", ["fid_classifier"] = fid, ["is_classifier"] = isMean, ["is_classifier_std"] = isStd,
            ["classes_generated"] = histogram.Count(h => h > 0),
            ["label_histogram"] = new JsonArray(histogram.Select(h => (JsonNode)((double)h / predicted.Length)).ToArray()),
            ["memory_real_fraction"] = m.Memory.RealFraction,
        };
        _run.LogMetrics((JsonObject)result.DeepClone());
        _progress.Message($"iteration {step}: FID (classifier features) {fid:0.00}, IS (classifier) {isMean:0.00}, {histogram.Count(h => h > 0)} classes generated, real-valued slots {m.Memory.RealFraction:P0}");
        if (final)
        {
            ImageGrid.SavePng(samples.narrow(0, 0, Math.Min(100, samples.shape[0])), 10, Path.Combine(_run.ImagesDir, "samples.png"), scale: 2);
            if (!_o.NoMemory) SlotGrid(m);
        }
        m.Generator.train();
        return result;
    }

    /// <summary>One row per memory slot, the same 10 z in every row: the most used real slots, skipping any whose key
    /// is nearly the same as a row already shown (EM pulls many slots onto one cluster centre), so that the rows show
    /// the generator's view of different clusters.</summary>
    void SlotGrid(Models m)
    {
        using var scope = NewDisposeScope();
        var ranked = m.Memory.Histogram.mul(m.Memory.Values).topk(Math.Min(500, _o.MemorySize)).indexes;
        var rankedKeys = m.Memory.Keys.index_select(0, ranked);
        var similarity = rankedKeys.matmul(rankedKeys.t()).data<float>().ToArray();
        var order = ranked.data<long>().ToArray();
        var chosen = new List<int>();
        for (int i = 0; i < order.Length && chosen.Count < 10; i++)
            if (chosen.All(j => similarity[i * order.Length + j] < DistinctKeyCosine)) chosen.Add(i);
        var slots = tensor(chosen.Select(i => order[i]).ToArray());
        var keys = m.Memory.Keys.index_select(0, slots).repeat_interleave(10, 0);
        using var noise = new Generator((ulong)_o.Seed + 5);
        var z = rand(10, _o.ZDim, generator: noise).mul(2).sub(1).repeat(chosen.Count, 1);
        Tensor images;
        using (no_grad()) images = m.Generator.forward(z, keys);
        var labels = slots.data<long>().Select(s => $"slot {s}").ToArray();
        ImageGrid.SavePng(images, 10, Path.Combine(_run.ImagesDir, "memory-slots.png"), labels, scale: 2);
    }

    /// <summary>Keys closer than this (cosine) count as the same cluster in the slot grid.</summary>
    const float DistinctKeyCosine = 0.95f;

    void SaveCheckpoint(Models m, long step)
    {
        var checkpoint = new Checkpoint(CheckpointKind, step, _fingerprint);
        checkpoint.AddModule("query", m.Query);
        if (_o.NoMemory) checkpoint.AddModule("head", m.PlainHead); // unused (and untrained) with the memory
        checkpoint.AddModule("generator", m.Generator);
        checkpoint.AddOptimizer("d", m.DOptimizer);
        checkpoint.AddOptimizer("g", m.GOptimizer);
        checkpoint.AddTensor("keys", m.Memory.Keys);
        checkpoint.AddTensor("values", m.Memory.Values);
        checkpoint.AddTensor("ages", m.Memory.Ages);
        checkpoint.AddTensor("histogram", m.Memory.Histogram);
        checkpoint.AddRngState();
        _store.Save(checkpoint);
    }
}
