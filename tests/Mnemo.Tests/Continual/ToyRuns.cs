using Mnemo.Continual;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Training;

namespace Mnemo.Tests.Continual;

/// <summary>Small continual runs on the synthetic squares data, shared by the tests.</summary>
public static class ToyRuns
{
    public static MerganOptions Options(string method, int iterations, string tasks = "0,1") => new()
    {
        Dataset = "squares",
        Method = ContinualMethods.Parse(method),
        Tasks = tasks,
        Dim = 8,
        ZDim = 16,
        BatchSize = 32,
        CriticIterations = 2,
        LearningRate = 1e-3,
        IterationsPerTask = iterations,
        EvalSamplesPerClass = 64,
        ReverseSamplesPerClass = 0,
        LogEvery = 5,
        CheckpointEvery = 4,
        GridColumns = 4,
        Threads = 2,
        EwcFisherBatches = 2,
    };

    static EvaluationClassifier? _classifier;
    static readonly object Lock = new();

    /// <summary>A classifier for the squares data, trained once per test process.</summary>
    public static EvaluationClassifier Classifier(DatasetSplit data, string root)
    {
        lock (Lock)
            return _classifier ??= EvaluationClassifier.LoadOrTrain(root, "squares", data, trainSteps: 60);
    }

    public static (ContinualResults Results, RunFolder Run) Train(MerganOptions options, DatasetSplit data, string dir, string dataRoot)
    {
        var run = RunFolder.Create(dir, options.ToJson());
        var trainer = new ContinualTrainer(options, run, data, Classifier(data, dataRoot));
        return (trainer.Run(resume: false), run);
    }
}
