using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Training;

namespace Mnemo.MemoryGan;

/// <summary>Trains MemoryGAN: the <see cref="MemoryGanSystem"/> run by the <see cref="RunEngine"/>.</summary>
public sealed class MemoryGanTrainer(MemoryGanOptions options, RunFolder run, DatasetSplit data, EvaluationClassifier classifier, IProgressReporter? progress = null)
{
    /// <summary>Stops after this many iterations in this process (tests use it to simulate a killed process).</summary>
    public long? StopAfterIterations { get; set; }

    /// <summary>Trains (or continues) the run; the final evaluation, or null when stopped early.</summary>
    public MemoryGanEvaluation? Run(bool resume)
    {
        var p = progress ?? NullProgress.Instance;
        using var system = new MemoryGanSystem(options, run, data, classifier, p);
        return new RunEngine(run, p) { StopAfterIterations = StopAfterIterations }.Run(system, resume) ? system.Final : null;
    }
}
