using Mnemo.Data;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>A network that maps images to features (for FID, KID, precision/recall) and logits (for IS).</summary>
public interface IFeatureExtractor : IDisposable
{
    string Name { get; }
    int Channels { get; }
    int ImageSize { get; }
    /// <summary>Features and logits of images (N×C×H×W in [-1, 1]), batched, without gradients.</summary>
    (double[,] Features, double[,] Logits) Extract(Tensor images, IProgressReporter? progress = null);
}

/// <summary>The evaluation classifier of a dataset as a feature extractor (128-d features, class logits).</summary>
public sealed class ClassifierFeatures : IFeatureExtractor
{
    readonly EvaluationClassifier _classifier;

    public ClassifierFeatures(EvaluationClassifier classifier, string dataset)
    {
        _classifier = classifier;
        Name = $"classifier:{dataset}";
    }

    public static ClassifierFeatures ForDataset(string dataset, string dataRoot, IProgressReporter progress)
    {
        DatasetFetcher.EnsureFetched(dataRoot, dataset, progress.Message);
        using var data = DatasetCatalog.Load(dataset, dataRoot, 32);
        return new ClassifierFeatures(EvaluationClassifier.LoadOrTrain(dataRoot, dataset, data, progress), dataset);
    }

    public string Name { get; }
    public int Channels => _classifier.Model.Channels;
    public int ImageSize => _classifier.Model.ImageSize;

    public (double[,] Features, double[,] Logits) Extract(Tensor images, IProgressReporter? progress = null)
    {
        var model = _classifier.Model;
        model.eval();
        long n = images.shape[0];
        var features = new double[n, Networks.DigitClassifier.FeatureSize];
        var logits = new double[n, model.Classes];
        progress?.Start($"features ({Name})", n);
        using var _ = no_grad();
        for (long start = 0; start < n; start += 500)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(500, n - start);
            var x = images.narrow(0, start, count);
            var f = model.Features(x);
            Copy(f, features, start);
            Copy(model.forward(x), logits, start);
            progress?.Report(start + count);
        }
        return (features, logits);
    }

    internal static void Copy(Tensor source, double[,] target, long offset)
    {
        var values = source.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        int cols = target.GetLength(1);
        for (int i = 0; i < values.Length / cols; i++)
            for (int j = 0; j < cols; j++) target[offset + i, j] = values[i * cols + j];
    }

    public void Dispose() => _classifier.Dispose();
}
