using TorchSharp;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Training;

namespace Mnemo.Continual;

/// <summary>MeRGAN in the shared experiment lifecycle.</summary>
public sealed class ContinualExperimentSystem : IExperimentSystem<MerganOptions, DatasetWithClassifier, ContinualResults>
{
    public string Name => "MeRGAN";
    public string Kind => ContinualSystem.Kind;

    public DatasetWithClassifier Load(MerganOptions options, string dataRoot, IProgressReporter progress)
    {
        // Bad classes fail before anything is fetched; folders are checked once their classes are known.
        if (DatasetCatalog.KnownClassCount(options.Dataset) is { } classes) TaskSequence.Parse(options.Tasks, classes);
        return DatasetWithClassifier.Load(options.Dataset, dataRoot, options.ImageSize, progress, data => TaskSequence.Parse(options.Tasks, data.Train.ClassCount));
    }

    public ContinualResults Train(MerganOptions options, DatasetWithClassifier inputs, RunFolder run, bool resume, ComputeDevice device, IProgressReporter progress)
    {
        inputs.Classifier.Model.to(device.Device); // the evaluation classifier scores samples where they are generated
        return new ContinualTrainer(options, run, inputs.Data, inputs.Classifier, progress, device.Device).Run(resume);
    }

    /// <summary>evaluation.json: the tasks evaluated so far (a report of an unfinished run shows those).</summary>
    public ContinualResults ReadResult(RunFolder run)
    {
        var path = Path.Combine(run.Root, "evaluation.json");
        return File.Exists(path) ? ContinualResults.FromJson(path) : throw new MnemoException($"{run.Root} has no evaluation.json (no task of a continual run finished yet).");
    }

    public string Report(MerganOptions options, RunFolder run, ContinualResults result) => ContinualReport.Write(run, options, result);

    public string WriteComparison(string outDir, IReadOnlyList<ComparedRun<MerganOptions, ContinualResults>> runs) => ContinualComparison.Write(outDir, runs);
}

/// <summary>Entry points for continual runs: start, resume, compare several methods.</summary>
public static class ContinualExperiment
{
    static readonly Experiment<MerganOptions, DatasetWithClassifier, ContinualResults> Lifecycle = new(new ContinualExperimentSystem());

    /// <summary>Reports and comparisons of continual run folders.</summary>
    public static IRunReports Reports => Lifecycle;

    /// <param name="device">A device request (<see cref="ComputeDevice.Choices"/>; null: auto).</param>
    public static ContinualResults Start(MerganOptions options, string outDir, string dataRoot, IProgressReporter progress, string? device = null) =>
        Lifecycle.Start(options, outDir, dataRoot, progress, device);

    /// <param name="dataRoot">Overrides the data folder the run was started with.</param>
    /// <param name="device">A device request (null: the one the run was started with).</param>
    public static ContinualResults Resume(string runDir, string? dataRoot, IProgressReporter progress, string? device = null) =>
        Lifecycle.Resume(runDir, dataRoot, progress, device);

    /// <summary>A run's stored settings.</summary>
    public static MerganOptions ReadOptions(string runDir) => Lifecycle.ReadSettings(runDir);

    /// <summary>Runs each method with the same settings and seed into OUT/&lt;method&gt; (the label-free settings only
    /// for the label-free methods, <see cref="MerganOptions.ForMethod"/>), then writes the Table-1-style
    /// comparison (final average accuracy, reverse accuracy, FID, per-task matrices) into OUT. With
    /// <paramref name="resume"/>, finished methods are read back and unfinished ones continued; a method folder
    /// that holds a run with other settings is refused before anything trains.</summary>
    /// <returns>The comparison's path and each method's results, in the order of <paramref name="methods"/>.</returns>
    public static (string Report, IReadOnlyList<ContinualResults> Results) Compare(MerganOptions options, IReadOnlyList<ContinualMethod> methods,
        string outDir, string dataRoot, IProgressReporter progress, bool resume = false, string? device = null)
    {
        var (report, runs) = Lifecycle.Compare(methods.Select(m => (m.Id(), options.ForMethod(m))).ToList(), outDir, dataRoot, progress, resume, device);
        return (report, runs.Select(r => r.Result).ToList());
    }
}
