using TorchSharp;
using Mnemo.Data;
using Mnemo.Networks;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>A network that maps images to features (for FID, KID, precision/recall) and logits (for IS).</summary>
public interface IFeatureExtractor : IDisposable
{
    string Name { get; }
    int Channels { get; }
    int ImageSize { get; }
    /// <summary>SHA-256 of the weights' content (<see cref="WeightsDigest"/>): the key of cached statistics.</summary>
    string WeightsSha256 { get; }
    /// <summary>Features (N×D) and logits (N×K) of images — uint8 or float32 in [-1, 1], N×C×H×W of any size and 1 or 3
    /// channels — each batch brought to the network by <see cref="ImagePreprocessing.ToNetwork"/>; without gradients.</summary>
    (double[,] Features, double[,] Logits) Extract(Tensor images, IProgressReporter? progress = null);
    /// <summary>Moves the network to <paramref name="device"/>; <see cref="Extract"/> then runs there (images on any
    /// device are moved batch by batch; features come back to the host).</summary>
    void MoveTo(Device device);
}

/// <summary>The evaluation classifier of a dataset as a feature extractor (128-d features, class logits).</summary>
public sealed class ClassifierFeatures : IFeatureExtractor
{
    readonly DigitClassifier _model;
    readonly IDisposable _owner;

    public ClassifierFeatures(EvaluationClassifier classifier, string dataset) : this(classifier.Model, $"classifier:{dataset}", classifier) { }

    /// <summary>Any <see cref="DigitClassifier"/> as a feature extractor; <paramref name="owner"/> is disposed with it.</summary>
    public ClassifierFeatures(DigitClassifier model, string name, IDisposable owner)
    {
        _model = model;
        _owner = owner;
        Name = name;
    }

    public static ClassifierFeatures ForDataset(string dataset, string dataRoot, IProgressReporter progress)
    {
        DatasetFetcher.EnsureFetched(dataRoot, dataset, progress.Message);
        using var data = DatasetCatalog.Load(dataset, dataRoot, 32);
        return new ClassifierFeatures(EvaluationClassifier.LoadOrTrain(dataRoot, dataset, data, progress), dataset);
    }

    public string Name { get; }
    public int Channels => _model.Channels;
    public int ImageSize => _model.ImageSize;
    public string WeightsSha256 => _digest ??= WeightsDigest.Of(_model);
    string? _digest;

    public (double[,] Features, double[,] Logits) Extract(Tensor images, IProgressReporter? progress = null)
    {
        var model = _model;
        model.eval();
        var device = ClassifierTraining.DeviceOf(model);
        long n = images.shape[0];
        var features = new double[n, DigitClassifier.FeatureSize];
        var logits = new double[n, model.Classes];
        progress?.Start($"features ({Name})", n);
        using var _ = no_grad();
        for (long start = 0; start < n; start += 500)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(500, n - start);
            var x = ImagePreprocessing.ToNetwork(images.narrow(0, start, count).to(device), Channels, ImageSize);
            var f = model.Features(x);
            Copy(f, features, start);
            Copy(model.forward(x), logits, start);
            progress?.Report(start + count);
        }
        return (features, logits);
    }

    internal static void Copy(Tensor source, double[,] target, long offset)
    {
        var values = source.to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        int cols = target.GetLength(1);
        for (int i = 0; i < values.Length / cols; i++)
            for (int j = 0; j < cols; j++) target[offset + i, j] = values[i * cols + j];
    }

    public void MoveTo(Device device) => _model.to(device);

    public void Dispose() => _owner.Dispose();
}
