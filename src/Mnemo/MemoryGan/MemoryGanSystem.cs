using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Networks;
using Mnemo.Training;
using Mnemo.Visualization;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.MemoryGan;

/// <summary>
/// MemoryGAN's hooks into the <see cref="RunEngine"/> (one phase): the discriminative memory network (query
/// network μ + memory) against the memory-conditional generator, with the mutual-information term; memory
/// statistics in every training record; evaluations (classifier label histogram of generated samples, FID and IS
/// on classifier features) every <c>EvalEvery</c> iterations and at the end, with the slot grid.
/// </summary>
public sealed class MemoryGanSystem : ITrainingSystem<MemoryGanLosses>
{
    public const string Kind = "memorygan";
    const double Clip = 1e-3; // the official CE clips D(x) into [1e-3, 1 − 1e-3]

    readonly MemoryGanOptions _o;
    readonly RunFolder _run;
    readonly DatasetSplit _data;
    readonly IProgressReporter _progress;
    readonly Models _m;
    readonly ISampleEvaluator _evaluator;
    int _replacements, _queries;

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

    public MemoryGanSystem(MemoryGanOptions options, RunFolder run, DatasetSplit data, EvaluationClassifier classifier, IProgressReporter progress)
    {
        options.Validate();
        _o = options;
        _run = run;
        _data = data;
        _progress = progress;
        Fingerprint = RunSettings.Fingerprint(options);
        Seeding.ConfigureThreads(options.Threads);
        Seeding.Seed(options.Seed);
        int channels = data.Train.Channels;
        var query = new MemoryQueryNetwork(channels, options.KeyDim);
        // The ablation's plain head: leaky ReLU then a linear unit, as a DCGAN discriminator ends. A linear unit
        // straight on μ(x) cannot work: μ ends in batch norm and real and fake batches go through it separately, so
        // each batch's mean logit is the bias and D cannot tell the batches apart (measured: D ≡ 0.5 for 2,000 steps).
        var head = nn.Sequential(("act", nn.LeakyReLU(0.2)), ("linear", nn.Linear(options.KeyDim, 1)));
        var generator = new MemoryGenerator(options.ZDim, options.KeyDim, channels);
        _m = new Models
        {
            Query = query, PlainHead = head, Generator = generator,
            Memory = DiscriminativeMemory.For(options),
            DOptimizer = optim.Adam(query.parameters().Concat(head.parameters()), options.LearningRate, options.Beta1, options.Beta2),
            GOptimizer = optim.Adam(generator.parameters(), options.LearningRate, options.Beta1, options.Beta2),
        };
        using var realIdx = arange(Math.Min(data.Test.Count, 10_000), dtype: ScalarType.Int64);
        using var real = data.Test.Batch(realIdx);
        _evaluator = new FeatureEvaluator(new ClassifierFeatures(classifier, options.Dataset), real, labeller: classifier);
        Phases = [new TrainingPhase("", $"MemoryGAN{(NoMemory ? " (no memory)" : "")} on {options.Dataset}", options.Iterations)];
    }

    /// <summary>The final evaluation, once the run finished.</summary>
    public MemoryGanEvaluation? Final { get; private set; }

    public string CheckpointKind => Kind;
    public string Fingerprint { get; }
    public IReadOnlyList<TrainingPhase> Phases { get; }
    public int LogEvery => _o.LogEvery;
    public int CheckpointEvery => _o.CheckpointEvery;
    public int? EvaluateEvery => _o.EvalEvery;
    bool NoMemory => _o.Method == MemoryGanMethod.NoMemory;

    public void Prepare(int completedPhases, bool resumed)
    {
        if (resumed && completedPhases == 1) Final = _run.Read<MemoryGanEvaluation>().LastOrDefault(e => e.Step == _o.Iterations);
    }

    public void BeginPhase(int phase) { }

    public DeviceLosses<MemoryGanLosses> Step(StepPosition at)
    {
        var (losses, update) = Step(_m);
        _replacements += update.Replacements;
        _queries += update.Queries;
        return losses;
    }

    public void LogTraining(MemoryGanLosses l, StepPosition at, double secondsPerIteration)
    {
        _run.Log(new MemoryGanTrainingRecord(at.Step, l.DLoss, l.GLoss, l.Mi, l.DReal, l.DFake, _m.Memory.RealFraction,
            (double)_replacements / _o.LogEvery, _queries == 0 ? 0 : (double)_replacements / _queries,
            _m.Memory.Histogram.gt(1e-3).sum().item<long>(), secondsPerIteration));
        _replacements = 0;
        _queries = 0;
    }

    public void AfterStep(StepPosition at) { }

    public void EndPhase(int phase) { }

    /// <summary>Keys for the generator: memory slots drawn ∝ h·v (or random unit vectors without memory).</summary>
    Tensor SampleKeys(Models m, int n)
    {
        if (NoMemory) return nn.functional.normalize(randn(n, _o.KeyDim), p: 2, dim: 1);
        using var slots = m.Memory.SampleRealSlots(n);
        return m.Memory.Keys.index_select(0, slots);
    }

    Tensor RealProbability(Models m, Tensor q) =>
        NoMemory ? m.PlainHead.forward(q).view(-1).sigmoid() : m.Memory.RealProbability(q);

    /// <summary>The mutual-information lower bound E[κ K_iᵀ μ(G(z, K_i))] (to be maximised), with unit queries.</summary>
    Tensor MutualInformation(Tensor fakeQuery, Tensor keys) =>
        DiscriminativeMemory.Normalize(fakeQuery).mul(keys).sum(1).mean().mul(_o.Kappa);

    Tensor Z(int n) => rand(n, _o.ZDim).mul(2).sub(1); // uniform in [-1, 1] as the official get_z

    (DeviceLosses<MemoryGanLosses> Losses, MemoryUpdate Update) Step(Models m)
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
        if (!NoMemory)
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
        var lossG = _o.GeneratorLoss.Of(dG).sub(miG.mul(_o.MiWeight));
        lossG.backward();
        m.GOptimizer.step();
        foreach (var p in m.Query.parameters().Concat(m.PlainHead.parameters())) p.requires_grad = true;
        if (!NoMemory)
        {
            // The official G step looks its fakes up in the memory with label 0, and every lookup updates it.
            var u3 = m.Memory.Update(qG.detach(), zeros(b));
            update = new MemoryUpdate(update.Queries + u3.Queries, update.Replacements + u3.Replacements, update.EmUpdates + u3.EmUpdates);
        }
        return (DeviceLosses<MemoryGanLosses>.Of(v => new MemoryGanLosses(v[0]!.Value, v[1]!.Value, v[2]!.Value, v[3]!.Value, v[4]!.Value, update),
            lossD, lossG, miG, dReal.mean(), dFake.mean()), update);
    }

    public void Evaluate(StepPosition at, bool phaseEnd)
    {
        _m.Generator.eval();
        using var noise = new Generator((ulong)_o.Seed + 99);
        using var samples = MemoryGanSampling.Draw(_m.Generator, NoMemory ? null : _m.Memory, _o.EvalSamples, _o.ZDim, _o.KeyDim, noise);
        var metrics = _evaluator.Evaluate(samples);
        var concentration = _m.Memory.SamplingConcentration();
        var result = new MemoryGanEvaluation(at.Step, metrics.Fid!.Value, metrics.Is!.Value, metrics.IsStd!.Value, metrics.ClassesGenerated!.Value,
            metrics.LabelHistogram!, _m.Memory.RealFraction)
        {
            SlotPurity = metrics.ConditionPurity, SlotsDrawn = metrics.DistinctConditions,
            EffectiveSlots = NoMemory ? null : concentration.EffectiveSlots, TopPercentSlotShare = NoMemory ? null : concentration.TopPercentShare,
        };
        _run.Log(result);
        _progress.Message($"iteration {at.Step}: FID (classifier features) {result.FidClassifier:0.00}, IS (classifier) {result.IsClassifier:0.00}, " +
                          $"{result.ClassesGenerated} classes generated, real-valued slots {result.MemoryRealFraction:P0}" +
                          (NoMemory ? "" : $", {result.SlotsDrawn} slots drawn, slot purity {result.SlotPurity:P0}, effective slots {result.EffectiveSlots:0}"));
        _run.LogImage("samples", _evaluator.Draw(samples, _run), at.Step);
        if (!NoMemory) _run.LogImage("memory_slots", SlotGrid(_m), at.Step);
        if (phaseEnd)
        {
            _run.WriteFinal(result);
            Final = result;
        }
        _m.Generator.train();
    }

    public void Finish()
    {
        // A run whose last checkpoint came before its final evaluation (the first format wrote it there) evaluates now.
        if (Final is null) Evaluate(new StepPosition(0, _o.Iterations, _o.Iterations), phaseEnd: true);
        MemoryGanReport.Write(_run, _o, Final!);
    }

    /// <summary>One row per memory slot, the same 10 z in every row: the most used real slots, skipping any whose key
    /// is nearly the same as a row already shown (EM pulls many slots onto one cluster centre), so that the rows show
    /// the generator's view of different clusters.</summary>
    /// <returns>The grid's path.</returns>
    string SlotGrid(Models m)
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
        var path = Path.Combine(_run.ImagesDir, "memory-slots.png");
        ImageGrid.SavePng(images, 10, path, labels, scale: 2);
        return path;
    }

    /// <summary>Keys closer than this (cosine) count as the same cluster in the slot grid.</summary>
    const float DistinctKeyCosine = 0.95f;

    public void Save(Checkpoint checkpoint, StepPosition at)
    {
        checkpoint.AddModule("query", _m.Query);
        if (NoMemory) checkpoint.AddModule("head", _m.PlainHead); // unused (and untrained) with the memory
        checkpoint.AddModule("generator", _m.Generator);
        checkpoint.AddOptimizer("d", _m.DOptimizer);
        checkpoint.AddOptimizer("g", _m.GOptimizer);
        checkpoint.AddTensor("keys", _m.Memory.Keys);
        checkpoint.AddTensor("values", _m.Memory.Values);
        checkpoint.AddTensor("ages", _m.Memory.Ages);
        checkpoint.AddTensor("histogram", _m.Memory.Histogram);
    }

    public void Load(Checkpoint checkpoint, StepPosition at)
    {
        checkpoint.LoadModule("query", _m.Query);
        if (NoMemory) checkpoint.LoadModule("head", _m.PlainHead);
        checkpoint.LoadModule("generator", _m.Generator);
        checkpoint.LoadOptimizer("d", _m.DOptimizer);
        checkpoint.LoadOptimizer("g", _m.GOptimizer);
        _m.Memory.Restore(checkpoint.LoadTensor("keys"), checkpoint.LoadTensor("values"), checkpoint.LoadTensor("ages"), checkpoint.LoadTensor("histogram"));
    }

    // The evaluator is not disposed: its feature network wraps the caller's evaluation classifier.
    public void Dispose() => _m.Dispose();
}
