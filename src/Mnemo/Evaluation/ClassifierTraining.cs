using Mnemo.Data;
using Mnemo.Networks;
using Mnemo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>Trains a <see cref="DigitClassifier"/> on labelled images and measures its accuracy.</summary>
public static class ClassifierTraining
{
    /// <summary>Trains on (images, labels) given by <paramref name="sampleBatch"/> for <paramref name="steps"/> Adam steps.</summary>
    public static void Train(DigitClassifier model, Func<int, (Tensor Images, Tensor Labels)> sampleBatch, int steps,
        int batchSize = 128, double learningRate = 1e-3, IProgressReporter? progress = null, string phase = "classifier")
    {
        progress ??= NullProgress.Instance;
        model.train();
        var device = DeviceOf(model);
        using var optimizer = optim.Adam(model.parameters(), lr: learningRate);
        progress.Start(phase, steps);
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = sampleBatch(batchSize);
            x = x.to(device);
            y = y.to(device);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            optimizer.step();
            if (step % 50 == 0 || step == steps - 1) progress.Report(step + 1, $"loss {loss.item<float>():0.000}");
        }
        model.eval();
    }

    /// <summary>Batches drawn uniformly with replacement from a dataset (torch's RNG, so seeded runs repeat).</summary>
    public static Func<int, (Tensor, Tensor)> Sampler(ImageDataset data) => n =>
    {
        var idx = randint(0, data.Count, n, dtype: ScalarType.Int64);
        return (data.Batch(idx), data.LabelBatch(idx));
    };

    /// <summary>The device a network's weights live on; the evaluation helpers move each batch there.</summary>
    public static Device DeviceOf(nn.Module model) => model.parameters().First().device;

    /// <summary>The fraction of <paramref name="data"/>'s images the model labels correctly (batches moved to the
    /// model's device).</summary>
    public static double Accuracy(DigitClassifier model, ImageDataset data, int batchSize = 500)
    {
        model.eval();
        var device = DeviceOf(model);
        long correct = 0;
        using var _ = no_grad();
        for (int start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var idx = arange(start, Math.Min(start + batchSize, data.Count), dtype: ScalarType.Int64);
            var pred = model.forward(data.Batch(idx).to(device)).argmax(1);
            correct += pred.eq(data.LabelBatch(idx).to(device)).sum().item<long>();
        }
        return (double)correct / data.Count;
    }

    /// <summary>Predicted class of each image (N×C×H×W in [-1, 1], on any device: each batch is moved to the model's).</summary>
    public static long[] Predict(DigitClassifier model, Tensor images, int batchSize = 500)
    {
        model.eval();
        var device = DeviceOf(model);
        using var _ = no_grad();
        var result = new List<long>();
        for (long start = 0; start < images.shape[0]; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var chunk = images.narrow(0, start, Math.Min(batchSize, images.shape[0] - start)).to(device);
            result.AddRange(model.forward(chunk).argmax(1).cpu().data<long>().ToArray());
        }
        return result.ToArray();
    }

    /// <summary>The predicted class and the 128-d features of each image (N values, N×128 float64) from one pass over
    /// <paramref name="images"/> (N×C×H×W in [-1, 1], on any device: each batch is moved to the model's): what
    /// <see cref="Predict"/> and <see cref="Features"/> give, at the cost of one of them.</summary>
    public static (long[] Predicted, double[,] Features) PredictWithFeatures(DigitClassifier model, Tensor images, int batchSize = 500)
    {
        model.eval();
        var device = DeviceOf(model);
        using var _ = no_grad();
        var n = images.shape[0];
        var predicted = new long[n];
        var features = new double[n, DigitClassifier.FeatureSize];
        for (long start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var count = (int)Math.Min(batchSize, n - start);
            var f = model.Features(images.narrow(0, start, count).to(device));
            model.Logits(f).argmax(1).cpu().data<long>().ToArray().CopyTo(predicted, start);
            CopyRows(f.to_type(ScalarType.Float64).cpu().data<double>().ToArray(), features, start, count);
        }
        return (predicted, features);
    }

    static void CopyRows(double[] flat, double[,] into, long start, int count)
    {
        for (int i = 0; i < count; i++)
            for (int j = 0; j < DigitClassifier.FeatureSize; j++)
                into[start + i, j] = flat[i * DigitClassifier.FeatureSize + j];
    }

    /// <summary>128-d classifier features of each image (on any device: each batch is moved to the model's), as an
    /// N×128 float64 array.</summary>
    public static double[,] Features(DigitClassifier model, Tensor images, int batchSize = 500)
    {
        model.eval();
        var device = DeviceOf(model);
        using var _ = no_grad();
        var n = images.shape[0];
        var result = new double[n, DigitClassifier.FeatureSize];
        for (long start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var count = (int)Math.Min(batchSize, n - start);
            CopyRows(model.Features(images.narrow(0, start, count).to(device)).to_type(ScalarType.Float64).cpu().data<double>().ToArray(), result, start, count);
        }
        return result;
    }
}
