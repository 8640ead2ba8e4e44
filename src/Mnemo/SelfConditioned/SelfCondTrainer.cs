using Mnemo.Evaluation;
using Mnemo.Training;

namespace Mnemo.SelfConditioned;

/// <summary>Trains a Self-Conditioned GAN (or a baseline): the <see cref="SelfCondSystem"/> run by the
/// <see cref="RunEngine"/>.</summary>
/// <param name="device">Where the run computes (default: the CPU).</param>
public sealed class SelfCondTrainer(SelfCondOptions options, RunFolder run, SampleSet train, SampleSet test, ISampleEvaluator evaluator, IProgressReporter? progress = null,
    TorchSharp.torch.Device? device = null)
{
    /// <summary>Stops after this many iterations in this process (tests use it to simulate a killed process).</summary>
    public long? StopAfterIterations { get; set; }

    /// <summary>Trains (or continues) the run; the final metrics, or null when stopped early.</summary>
    public SampleMetrics? Run(bool resume)
    {
        var p = progress ?? NullProgress.Instance;
        using var system = new SelfCondSystem(options, run, train, test, evaluator, p, device);
        return new RunEngine(run, p) { StopAfterIterations = StopAfterIterations }.Run(system, resume) ? system.Final : null;
    }
}
