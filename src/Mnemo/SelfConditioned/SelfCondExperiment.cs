using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Training;
using Mnemo.Visualization;
using static TorchSharp.torch;

namespace Mnemo.SelfConditioned;

/// <summary>What a Self-Conditioned GAN run reads: training and test samples and the dataset's evaluator.</summary>
public sealed class SelfCondInputs(SampleSet train, SampleSet test, ISampleEvaluator evaluator) : IDisposable
{
    public SampleSet Train => train;
    public SampleSet Test => test;
    public ISampleEvaluator Evaluator => evaluator;

    public void Dispose()
    {
        evaluator.Dispose();
        test.Dispose();
        train.Dispose();
    }
}

/// <summary>The Self-Conditioned GAN in the shared experiment lifecycle: data and evaluator per dataset.</summary>
public sealed class SelfCondExperimentSystem : IExperimentSystem<SelfCondOptions, SelfCondInputs, SampleMetrics>
{
    public string Name => "Self-Conditioned GAN";
    public string Kind => SelfCondSystem.Kind;

    public SelfCondInputs Load(SelfCondOptions o, string dataRoot, IProgressReporter progress)
    {
        if (o.IsTwoD)
        {
            var mixture = Mixture2D.ByName(o.Dataset);
            var (points, modes) = mixture.Sample(o.TrainPoints, new Random(o.Seed + 1));
            var (testPoints, testModes) = mixture.Sample(Math.Max(o.EvalSamples, 1000), new Random(o.Seed + 2));
            return new SelfCondInputs(new SampleSet(points, modes, mixture.Modes), new SampleSet(testPoints, testModes, mixture.Modes), new MixtureEvaluator(mixture, testPoints));
        }
        if (o.Dataset == "stacked-mnist")
        {
            var mnist = DatasetLoader.Load("mnist", dataRoot, 32, progress.Message);
            var classifier = EvaluationClassifier.LoadOrTrain(dataRoot, "mnist", mnist, progress);
            var stacked = StackedMnist.Build(mnist, o.Seed); // takes over (and disposes) the MNIST split
            return new SelfCondInputs(new SampleSet(stacked.Train), new SampleSet(stacked.Test), new StackedMnistEvaluator(classifier));
        }
        var split = DatasetCatalog.Load(o.Dataset, dataRoot, 32, o.Seed);
        IFeatureExtractor features = o.InceptionWeights is { } inception
            ? InceptionFeatures.Load(inception)
            : new ClassifierFeatures(EvaluationClassifier.LoadOrTrain(dataRoot, o.Dataset, split, progress), o.Dataset);
        using var idx = arange(Math.Min(split.Test.Count, 10_000), dtype: ScalarType.Int64);
        using var real = split.Test.Batch(idx);
        return new SelfCondInputs(new SampleSet(split.Train), new SampleSet(split.Test), new FeatureEvaluator(features, real));
    }

    public SampleMetrics Train(SelfCondOptions o, SelfCondInputs inputs, RunFolder run, bool resume, ComputeDevice device, IProgressReporter progress) =>
        new SelfCondTrainer(o, run, inputs.Train, inputs.Test, inputs.Evaluator, progress, device.Device).Run(resume)
        ?? throw new InvalidOperationException("a run without an iteration limit ended before its last iteration");

    public SampleMetrics ReadResult(RunFolder run) => run.ReadFinal<SampleMetrics>();

    public string Report(SelfCondOptions options, RunFolder run, SampleMetrics result) => SelfCondReport.Write(run, options, result);

    public string WriteComparison(string outDir, IReadOnlyList<ComparedRun<SelfCondOptions, SampleMetrics>> runs) =>
        ScalarComparison.Write(outDir, $"Mnemo: Self-Conditioned GAN and baselines on {runs[0].Settings.Dataset}", runs, s => s.Method.Id(),
            s => s.Iterations, r => r.Scalars(), [("figures/real-vs-generated.png", "real and generated"), ("images/samples.png", "samples")]);
}

/// <summary>Entry points for Self-Conditioned GAN runs: start, resume, compare.</summary>
public static class SelfCondExperiment
{
    static readonly Experiment<SelfCondOptions, SelfCondInputs, SampleMetrics> Lifecycle = new(new SelfCondExperimentSystem());

    /// <param name="device">A device request (<see cref="ComputeDevice.Choices"/>; null: auto).</param>
    public static SampleMetrics Start(SelfCondOptions options, string outDir, string dataRoot, IProgressReporter progress, string? device = null) =>
        Lifecycle.Start(options, outDir, dataRoot, progress, device);

    /// <param name="dataRoot">Overrides the data folder the run was started with.</param>
    /// <param name="device">A device request (null: the one the run last ran with).</param>
    public static SampleMetrics Resume(string runDir, string? dataRoot, IProgressReporter progress, string? device = null) => Lifecycle.Resume(runDir, dataRoot, progress, device);

    /// <summary>Runs each method with the same settings into OUT/&lt;method&gt; (continuing unfinished runs of the same
    /// settings, refusing folders with other settings) and writes comparison.html/.csv; returns the HTML's path.</summary>
    public static string Compare(SelfCondOptions options, IReadOnlyList<SelfCondMethod> methods, string outDir, string dataRoot, IProgressReporter progress, string? device = null) =>
        Lifecycle.Compare(methods.Select(m => (m.Id(), options with { Method = m })).ToList(), outDir, dataRoot, progress, resume: true, device).Report;

    /// <summary>Reports and comparisons of Self-Conditioned GAN run folders.</summary>
    public static IRunReports Reports => Lifecycle;
}
