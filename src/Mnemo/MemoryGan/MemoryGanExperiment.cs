using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Training;
using Mnemo.Visualization;

namespace Mnemo.MemoryGan;

/// <summary>MemoryGAN in the shared experiment lifecycle (32×32 images in [-1, 1]; Fashion-MNIST and MNIST are
/// padded 28 → 32); it reads the same inputs as a continual run: the dataset and its evaluation classifier.</summary>
public sealed class MemoryGanExperimentSystem : IExperimentSystem<MemoryGanOptions, DatasetWithClassifier, MemoryGanEvaluation>
{
    public string Name => "MemoryGAN";
    public string Kind => MemoryGanSystem.Kind;

    public DatasetWithClassifier Load(MemoryGanOptions options, string dataRoot, IProgressReporter progress)
    {
        return DatasetWithClassifier.Load(options.Dataset, dataRoot, 32, progress);
    }

    /// <summary>MemoryGAN trains on the CPU only: its memory update (top-k lookup, LRU replacement, incremental EM) counts
    /// and replaces slots on the host after every step.</summary>
    public void CheckDevice(ComputeDevice device)
    {
        if (device.IsCuda)
            throw new MnemoException($"--device {device.Requested}: MemoryGAN runs on the CPU only (its memory update works on the host after every step); " +
                                     "use --device cpu. MeRGAN (continual) and the Self-Conditioned GAN run on CUDA.");
    }

    public MemoryGanEvaluation Train(MemoryGanOptions options, DatasetWithClassifier inputs, RunFolder run, bool resume, ComputeDevice device, IProgressReporter progress) =>
        new MemoryGanTrainer(options, run, inputs.Data, inputs.Classifier, progress).Run(resume) // on the CPU (CheckDevice)
        ?? throw new InvalidOperationException("a run without an iteration limit ended before its last iteration");

    public MemoryGanEvaluation ReadResult(RunFolder run) => run.ReadFinal<MemoryGanEvaluation>();

    public string Report(MemoryGanOptions options, RunFolder run, MemoryGanEvaluation result) => MemoryGanReport.Write(run, options, result);

    public string WriteComparison(string outDir, IReadOnlyList<ComparedRun<MemoryGanOptions, MemoryGanEvaluation>> runs) =>
        ScalarComparison.Write(outDir, $"Mnemo: MemoryGAN on {runs[0].Settings.Dataset}", runs, s => s.Method.Id(), s => s.Iterations,
            r => r.Scalars(), [("images/samples.png", "samples"), ("figures/label-histogram.png", "classifier labels of generated samples")]);
}

/// <summary>Start or resume a MemoryGAN run.</summary>
public static class MemoryGanExperiment
{
    static readonly Experiment<MemoryGanOptions, DatasetWithClassifier, MemoryGanEvaluation> Lifecycle = new(new MemoryGanExperimentSystem());

    /// <param name="device">A device request (<see cref="ComputeDevice.Choices"/>; null: auto).</param>
    public static MemoryGanEvaluation Start(MemoryGanOptions options, string outDir, string dataRoot, IProgressReporter progress, string? device = null) =>
        Lifecycle.Start(options, outDir, dataRoot, progress, device);

    /// <param name="dataRoot">Overrides the data folder the run was started with.</param>
    /// <param name="device">A device request (null: the one the run last ran with).</param>
    public static MemoryGanEvaluation Resume(string runDir, string? dataRoot, IProgressReporter progress, string? device = null) => Lifecycle.Resume(runDir, dataRoot, progress, device);

    /// <summary>Reports and comparisons of MemoryGAN run folders.</summary>
    public static IRunReports Reports => Lifecycle;
}
