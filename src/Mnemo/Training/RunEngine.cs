using System.Diagnostics;
using Mnemo.Training.TensorBoard;

namespace Mnemo.Training;

/// <summary>
/// The one training loop of every system. For each phase: begin it, run its iterations (each: the system's step,
/// a divergence check, a training record at the logging cadence, the system's own after-step work, evaluations
/// on the system's schedule, a checkpoint at the checkpoint cadence), then the phase-end evaluation and a
/// checkpoint; after the last phase, the system's <see cref="ITrainingSystem{TLosses}.Finish"/>. A resume loads
/// the newest matching checkpoint (models, optimizers, RNG state), drops metrics written after it and continues
/// at the next iteration, so a killed and resumed run ends with the weights of an uninterrupted one.
/// </summary>
public sealed class RunEngine
{
    readonly RunFolder _run;
    readonly IProgressReporter _progress;

    public RunEngine(RunFolder run, IProgressReporter? progress = null)
    {
        _run = run;
        _progress = progress ?? NullProgress.Instance;
    }

    /// <summary>Stops after this many iterations in this process (tests use it to simulate a killed process).
    /// A phase's last iteration never stops: its evaluation and checkpoint follow first.</summary>
    public long? StopAfterIterations { get; set; }

    /// <summary>Trains <paramref name="system"/> to its end or to <see cref="StopAfterIterations"/>.</summary>
    /// <returns>True when the run is finished (its last phase evaluated, checkpointed and reported).</returns>
    /// <exception cref="MnemoException">A loss became NaN or infinite, or a checkpoint is foreign or unreadable.</exception>
    public bool Run<TLosses>(ITrainingSystem<TLosses> system, bool resume) where TLosses : IStepLosses
    {
        var plan = new PhasePlan(system.Phases);
        var store = new CheckpointStore(_run.CheckpointsDir, keep: 2, warn: _progress.Message);
        var start = new StepPosition(0, 0, 0);
        long keptThrough = -1;
        if (resume && store.LoadLatest(system.CheckpointKind, system.Fingerprint) is { } checkpoint)
        {
            start = plan.Locate(checkpoint.Step);
            keptThrough = checkpoint.Step;
            system.Load(checkpoint, start);
            checkpoint.RestoreRngState();
            _run.TruncateMetricsAfter(checkpoint.Step);
            _progress.Message(checkpoint.Step == plan.TotalSteps ? Finished(plan)
                : plan.IsSingle ? $"resuming at iteration {checkpoint.Step}"
                : $"resuming at {plan[start.Phase].Name}, iteration {start.Iteration} (checkpoint step {checkpoint.Step})");
        }
        else if (resume)
        {
            _progress.Message("no checkpoint yet: starting from the beginning");
        }
        _run.TensorBoard = TensorBoardLog.Open(_run, keptThrough);
        try
        {
            _run.TensorBoard?.Text("settings", TensorBoardLog.SettingsMarkdown(_run.ReadSettings()), 0);
            return Train(system, plan, store, start);
        }
        finally
        {
            _run.TensorBoard = null;
        }
    }

    bool Train<TLosses>(ITrainingSystem<TLosses> system, PhasePlan plan, CheckpointStore store, StepPosition start) where TLosses : IStepLosses
    {
        bool startPhaseDone = start.Iteration == plan[start.Phase].Iterations;
        system.Prepare(start.Phase + (startPhaseDone ? 1 : 0), resumed: start.Step > 0);

        long doneHere = 0;
        for (int p = startPhaseDone ? start.Phase + 1 : start.Phase; p < plan.Count; p++)
        {
            bool midPhase = p == start.Phase && start.Iteration > 0;
            if (!midPhase) system.BeginPhase(p);
            var phase = plan[p];
            _progress.Start(phase.Title, phase.Iterations);
            var window = Stopwatch.StartNew();
            var pending = new LossWindow<TLosses>();
            try
            {
                for (int i = midPhase ? start.Iteration : 0; i < phase.Iterations; i++)
                {
                    var before = new StepPosition(p, i, plan.StepAt(p, i));
                    pending.Add(before, system.Step(before));
                    var at = new StepPosition(p, i + 1, before.Step + 1);
                    bool phaseEnd = at.Iteration == phase.Iterations;
                    bool log = at.Iteration % system.LogEvery == 0 || phaseEnd;
                    bool evaluate = !phaseEnd && system.EvaluateEvery is { } every && at.Step % every == 0;
                    bool save = !phaseEnd && at.Iteration % system.CheckpointEvery == 0;
                    bool stop = StopAfterIterations is { } limit && doneHere + 1 >= limit && !phaseEnd;
                    // The losses stay on the device until here: read (one synchronisation) and checked for divergence
                    // before anything is logged, evaluated, saved or handed to host-side work.
                    if (log || evaluate || save || stop || phaseEnd || system.NeedsHostAfter(at))
                    {
                        var losses = pending.Check(bad => throw Diverged(plan, bad.At, bad.Value));
                        if (log)
                        {
                            system.LogTraining(losses, at, window.Elapsed.TotalSeconds / pending.Steps);
                            window.Restart();
                            pending.Clear();
                            _progress.Report(at.Iteration, losses.Summary);
                        }
                    }
                    system.AfterStep(at);
                    if (evaluate) system.Evaluate(at, phaseEnd: false);
                    if (save) Save(system, store, at);
                    doneHere++;
                    if (stop) return false;
                }
            }
            finally
            {
                pending.Dispose();
            }
            var end = new StepPosition(p, phase.Iterations, plan.StepAt(p, phase.Iterations));
            system.EndPhase(p);
            system.Evaluate(end, phaseEnd: true);
            Save(system, store, end);
        }
        system.Finish();
        return true;
    }

    /// <summary>What a resume of a finished run says instead of "resuming at" its last phase.</summary>
    static string Finished(PhasePlan plan) =>
        $"the run is already finished ({(plan.IsSingle ? $"iteration {plan.TotalSteps}" : plan[plan.Count - 1].Name)} of " +
        $"{(plan.IsSingle ? plan.TotalSteps : plan.Count)} done): nothing to train; its report is rebuilt";

    static void Save<TLosses>(ITrainingSystem<TLosses> system, CheckpointStore store, StepPosition at) where TLosses : IStepLosses
    {
        var checkpoint = new Checkpoint(system.CheckpointKind, at.Step, system.Fingerprint);
        // Phase and iteration are derivable from the step; they are kept for readers of the file.
        checkpoint.Meta["task"] = at.Phase;
        checkpoint.Meta["next_iteration"] = at.Iteration;
        system.Save(checkpoint, at);
        checkpoint.AddRngState();
        store.Save(checkpoint);
    }

    MnemoException Diverged(PhasePlan plan, StepPosition at, double loss)
    {
        var last = Directory.GetFiles(_run.CheckpointsDir, "step-*.ckpt").OrderBy(f => f, StringComparer.Ordinal).LastOrDefault();
        var where = plan.IsSingle ? $"iteration {at.Step + 1}" : $"{plan[at.Phase].Name}, iteration {at.Iteration + 1}";
        return new MnemoException($"training diverged: a loss became {(double.IsNaN(loss) ? "NaN" : "infinite")} at {where}. " +
            (last is null ? "No checkpoint was written yet. " : $"The last good checkpoint is kept: {last}. ") +
            "Lower the learning rate or check the data, then start a new run.");
    }

    /// <summary>Whether the run in <paramref name="run"/> is finished: its newest checkpoint is at the last step.</summary>
    public static bool IsFinished(RunFolder run, string kind, string fingerprint, IReadOnlyList<TrainingPhase> phases) =>
        new CheckpointStore(run.CheckpointsDir).LoadLatest(kind, fingerprint)?.Step == new PhasePlan(phases).TotalSteps;
}

/// <summary>The losses of the iterations since the last training record, on the device: the newest one is what the
/// record shows; every one is checked for NaN or infinity when the window is read, so the first bad iteration is named
/// exactly although the device is synchronised only once per read.</summary>
sealed class LossWindow<TLosses> : IDisposable where TLosses : IStepLosses
{
    readonly List<(StepPosition At, DeviceLosses<TLosses> Losses)> _steps = new();
    int _checked;

    /// <summary>Iterations since the last <see cref="Clear"/> (at least 1 when read).</summary>
    public int Steps => Math.Max(1, _steps.Count);

    public void Add(StepPosition before, DeviceLosses<TLosses> losses) => _steps.Add((before, losses));

    /// <summary>Checks the iterations not checked yet (one device-to-host copy) and returns the newest iteration's losses.</summary>
    /// <param name="diverged">Called with the first iteration whose losses hold NaN or infinity, and that value.</param>
    public TLosses Check(Action<(StepPosition At, double Value)> diverged)
    {
        if (_checked < _steps.Count)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            var fresh = _steps.Skip(_checked).ToList();
            // One flag per iteration: whether all its terms are finite (a sum would overflow to infinity on its own).
            var finite = TorchSharp.torch.stack(fresh.Select(s => s.Losses.Values.isfinite().all()).ToArray()).cpu().data<bool>().ToArray();
            int first = Array.IndexOf(finite, false);
            if (first >= 0)
            {
                var values = fresh[first].Losses.Read().Values;
                diverged((fresh[first].At, values.First(v => v is { } d && !double.IsFinite(d))!.Value));
            }
            _checked = _steps.Count;
        }
        return _steps[^1].Losses.Read();
    }

    /// <summary>Frees the window's losses (after a training record).</summary>
    public void Clear()
    {
        foreach (var (_, losses) in _steps) losses.Dispose();
        _steps.Clear();
        _checked = 0;
    }

    public void Dispose() => Clear();
}

/// <summary>Maps between (phase, iteration) and the run's global step: phases follow one another.</summary>
sealed class PhasePlan
{
    readonly IReadOnlyList<TrainingPhase> _phases;
    readonly long[] _starts;

    public PhasePlan(IReadOnlyList<TrainingPhase> phases)
    {
        if (phases.Count == 0 || phases.Any(p => p.Iterations < 1)) throw new ArgumentException("a run needs phases of at least one iteration");
        _phases = phases;
        _starts = new long[phases.Count];
        for (int p = 1; p < phases.Count; p++) _starts[p] = _starts[p - 1] + phases[p - 1].Iterations;
    }

    public int Count => _phases.Count;
    public bool IsSingle => _phases.Count == 1;
    public TrainingPhase this[int phase] => _phases[phase];
    public long TotalSteps => _starts[^1] + _phases[^1].Iterations;
    public long StepAt(int phase, int iteration) => _starts[phase] + iteration;

    /// <summary>The position of a checkpoint step. A step at a phase boundary belongs to the phase it ends (the
    /// engine writes that checkpoint after the phase's evaluation), except step 0.</summary>
    public StepPosition Locate(long step)
    {
        if (step < 0 || step > TotalSteps) throw new MnemoException($"checkpoint step {step} is outside this run's {TotalSteps} steps.");
        for (int p = 0; p < Count; p++)
            if (step <= _starts[p] + _phases[p].Iterations && (step > _starts[p] || p == 0))
                return new StepPosition(p, (int)(step - _starts[p]), step);
        throw new InvalidOperationException("unreachable");
    }
}
