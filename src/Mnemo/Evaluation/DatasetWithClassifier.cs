using Mnemo.Data;
using Mnemo.Training;

namespace Mnemo.Evaluation;

/// <summary>A dataset and its evaluation classifier: what a MeRGAN or MemoryGAN run reads.</summary>
public sealed class DatasetWithClassifier(DatasetSplit data, EvaluationClassifier classifier) : IDisposable
{
    public DatasetSplit Data => data;
    public EvaluationClassifier Classifier => classifier;

    /// <summary>Loads (fetching MNIST / Fashion-MNIST when missing) and loads or trains the classifier.</summary>
    /// <param name="check">Checks on the loaded data that must pass before the classifier is trained.</param>
    public static DatasetWithClassifier Load(string dataset, string dataRoot, int imageSize, IProgressReporter progress, Action<DatasetSplit>? check = null)
    {
        var split = DatasetLoader.Load(dataset, dataRoot, imageSize, progress.Message);
        try
        {
            check?.Invoke(split);
            return new DatasetWithClassifier(split, EvaluationClassifier.LoadOrTrain(dataRoot, dataset, split, progress));
        }
        catch
        {
            split.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        classifier.Dispose();
        data.Dispose();
    }
}
