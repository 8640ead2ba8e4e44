using System.Text.Json.Nodes;
using Mnemo.Data;
using Mnemo.Networks;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>
/// The classifier trained once on a dataset's real training images and cached under DATA_ROOT/classifiers. It
/// labels generated images (accuracy per class), gives features for FID and t-SNE, and reports its own test accuracy.
/// </summary>
public sealed class EvaluationClassifier : IDisposable
{
    public DigitClassifier Model { get; }
    public double TestAccuracy { get; }
    public string CachePath { get; }

    EvaluationClassifier(DigitClassifier model, double testAccuracy, string cachePath)
    {
        Model = model;
        TestAccuracy = testAccuracy;
        CachePath = cachePath;
    }

    public const int TrainSteps = 1500;

    public static string CacheFile(string dataRoot, string dataset, int imageSize) =>
        Path.Combine(dataRoot, "classifiers", $"{dataset.Replace(':', '_').Replace('/', '_')}-{imageSize}.ckpt");

    /// <summary>Loads the cached classifier or trains one (about a minute on 2 cores for MNIST) and caches it.</summary>
    public static EvaluationClassifier LoadOrTrain(string dataRoot, string dataset, DatasetSplit data, IProgressReporter? progress = null, int trainSteps = TrainSteps)
    {
        progress ??= NullProgress.Instance;
        var path = CacheFile(dataRoot, dataset, data.Train.Height);
        var model = new DigitClassifier(data.Train.ClassCount, data.Train.Channels, data.Train.Height);
        if (File.Exists(path))
        {
            try
            {
                var checkpoint = Checkpoint.Load(path);
                checkpoint.LoadModule("classifier", model);
                model.eval();
                return new EvaluationClassifier(model, (double)checkpoint.Meta["test_accuracy"]!, path);
            }
            catch (MnemoException e)
            {
                progress.Message($"retraining the evaluation classifier: cached copy unusable ({e.Message})");
            }
        }
        // Its own seed, so that the cached classifier does not depend on which run trained it first.
        using var generatorState = random.get_rng_state();
        random.manual_seed(12345);
        ClassifierTraining.Train(model, ClassifierTraining.Sampler(data.Train), trainSteps, progress: progress, phase: $"evaluation classifier ({dataset})");
        random.set_rng_state(generatorState);
        var accuracy = ClassifierTraining.Accuracy(model, data.Test);
        var ckpt = new Checkpoint("classifier", trainSteps, dataset);
        ckpt.Meta["test_accuracy"] = accuracy;
        ckpt.Meta["dataset"] = dataset;
        ckpt.AddModule("classifier", model);
        ckpt.Save(path);
        progress.Message($"evaluation classifier for {dataset}: test accuracy {accuracy:P2}, cached at {path}");
        return new EvaluationClassifier(model, accuracy, path);
    }

    public JsonObject Describe() => new()
    {
        ["architecture"] = "DigitClassifier (2 conv + 128-d feature layer)",
        ["test_accuracy"] = TestAccuracy,
        ["cache"] = CachePath,
    };

    public void Dispose() => Model.Dispose();
}
