using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Training;

namespace Mnemo.Continual;

/// <summary>
/// Trains a conditional GAN over a task sequence with one of the six methods: the <see cref="ContinualSystem"/>
/// run by the <see cref="RunEngine"/>, evaluating after every task and resuming from the last checkpoint.
/// </summary>
/// <param name="device">Where the run computes (default: the CPU).</param>
public sealed class ContinualTrainer(MerganOptions options, RunFolder run, DatasetSplit data, EvaluationClassifier classifier, IProgressReporter? progress = null,
    TorchSharp.torch.Device? device = null)
{
    /// <summary>Stops after this many iterations in total (tests use it to simulate a killed process).</summary>
    public long? StopAfterIterations { get; set; }

    /// <summary>Trains (or, with <paramref name="resume"/>, continues) the run; the results so far when stopped early.</summary>
    public ContinualResults Run(bool resume)
    {
        var p = progress ?? NullProgress.Instance;
        using var system = new ContinualSystem(options, run, data, classifier, p, device);
        new RunEngine(run, p) { StopAfterIterations = StopAfterIterations }.Run(system, resume);
        return system.Results;
    }
}
