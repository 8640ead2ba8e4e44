namespace Mnemo.Training;

/// <summary>A named segment of a run's iterations (a MeRGAN task; the whole run for one-phase systems).</summary>
/// <param name="Name">Used in messages, e.g. "task 2"; empty for a run with one phase.</param>
/// <param name="Title">Shown by the progress display.</param>
/// <param name="Iterations">Iterations in this phase (at least 1).</param>
public sealed record TrainingPhase(string Name, string Title, int Iterations);

/// <summary>Where the engine is: phase index, iteration within the phase (1-based once done) and global step.</summary>
public readonly record struct StepPosition(int Phase, int Iteration, long Step);

/// <summary>The losses one iteration produced, as a system reports them to the engine.</summary>
public interface IStepLosses
{
    /// <summary>Every loss the iteration computed (null for a term it skipped); the engine stops the run when one
    /// is NaN or infinite.</summary>
    IEnumerable<double?> Values { get; }
    /// <summary>Short status for the progress display, e.g. "D 0.69 G 0.71".</summary>
    string Summary { get; }
}

/// <summary>
/// What a system (MeRGAN, Self-Conditioned GAN, MemoryGAN, …) gives the <see cref="RunEngine"/>: its phases, its
/// iteration, its evaluation, and its state for checkpoints. The engine owns the loop, resume, checkpoints, RNG
/// state, logging cadence, divergence check, progress and the evaluation schedule.
/// </summary>
public interface ITrainingSystem<TLosses> : IDisposable where TLosses : IStepLosses
{
    /// <summary>Checkpoint kind (e.g. "selfcond"); a checkpoint of another kind is refused.</summary>
    string CheckpointKind { get; }
    /// <summary>Hash of the settings a resume must share with the run (<see cref="Checkpoint.FingerprintOf"/>).</summary>
    string Fingerprint { get; }
    IReadOnlyList<TrainingPhase> Phases { get; }
    /// <summary>Iterations between training-metric records (a record is also written at each phase's end).</summary>
    int LogEvery { get; }
    /// <summary>Iterations (within a phase) between checkpoints; a checkpoint is always written at a phase's end.</summary>
    int CheckpointEvery { get; }
    /// <summary>Global steps between evaluations inside a phase, or null for evaluations only at phase ends.</summary>
    int? EvaluateEvery { get; }

    /// <summary>Starts a phase from its first iteration (not called when a resume lands inside the phase).</summary>
    void BeginPhase(int phase);
    /// <summary>One training iteration; <paramref name="at"/> is the position before it (Iteration 0-based). Its losses
    /// stay on the run's device (<see cref="DeviceLosses{TLosses}.Of"/>): the engine reads them at its logging cadence,
    /// so an iteration needs no host synchronisation.</summary>
    DeviceLosses<TLosses> Step(StepPosition at);
    /// <summary>Whether <see cref="AfterStep"/> does host-side work at <paramref name="at"/> (e.g. a re-clustering) that
    /// must not see a diverged model: the engine then reads and checks the losses first. Default: no.</summary>
    bool NeedsHostAfter(StepPosition at) => false;
    /// <summary>Writes the typed training-metrics record of <paramref name="losses"/> (called at the engine's
    /// logging cadence; <paramref name="secondsPerIteration"/> is the mean since the previous record).</summary>
    void LogTraining(TLosses losses, StepPosition at, double secondsPerIteration);
    /// <summary>Work on the system's own schedule after an iteration (e.g. re-clustering), before any checkpoint.</summary>
    void AfterStep(StepPosition at);
    /// <summary>Ends a phase after its last iteration, before its evaluation (e.g. EWC's consolidation).</summary>
    void EndPhase(int phase);
    /// <summary>Evaluates the current models; <paramref name="phaseEnd"/> is true after a phase's last iteration,
    /// when the system also records the phase's results (the engine checkpoints after this call).</summary>
    void Evaluate(StepPosition at, bool phaseEnd);
    /// <summary>After the last phase (also when a finished run is resumed): reports and figures.</summary>
    void Finish();

    /// <summary>Adds every model, optimizer and buffer to <paramref name="checkpoint"/> (RNG state is the engine's).</summary>
    void Save(Checkpoint checkpoint, StepPosition at);
    /// <summary>Restores what <see cref="Save"/> wrote; <paramref name="at"/> is the checkpoint's position.</summary>
    void Load(Checkpoint checkpoint, StepPosition at);
    /// <summary>Called once before training when the run starts or resumes: a resumed run drops results of phases
    /// after <paramref name="completedPhases"/>; a new run does its set-up work (e.g. the first clustering).</summary>
    void Prepare(int completedPhases, bool resumed);
}
