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

    public MemoryGanEvaluation Train(MemoryGanOptions options, DatasetWithClassifier inputs, RunFolder run, bool resume, IProgressReporter progress) =>
        new MemoryGanTrainer(options, run, inputs.Data, inputs.Classifier, progress).Run(resume)
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

    public static MemoryGanEvaluation Start(MemoryGanOptions options, string outDir, string dataRoot, IProgressReporter progress) =>
        Lifecycle.Start(options, outDir, dataRoot, progress);

    /// <param name="dataRoot">Overrides the data folder the run was started with.</param>
    public static MemoryGanEvaluation Resume(string runDir, string? dataRoot, IProgressReporter progress) => Lifecycle.Resume(runDir, dataRoot, progress);

    /// <summary>Reports and comparisons of MemoryGAN run folders.</summary>
    public static IRunReports Reports => Lifecycle;
}
