using Mnemo.Data;
using Mnemo.Networks;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>
/// The MeRGAN paper's evaluation of a class-conditional generator: the evaluation classifier's accuracy on the
/// samples of each class asked for, and the FID (on the classifier's features) between all the samples and the real
/// test images of those classes. Its figure: t-SNE of classifier features of the first class's samples against real
/// images of that class.
/// </summary>
public sealed class ClassAccuracyEvaluator(EvaluationClassifier classifier, ImageDataset test, string generatorName) : ISampleEvaluator
{
    /// <summary>Classifier features of every real test image (N×128, dataset order), computed at the first evaluation:
    /// each evaluation after a task needs those of the classes seen so far.</summary>
    double[,]? _testFeatures;

    public SampleMetrics Evaluate(GeneratedSamples samples)
    {
        var asked = samples.AskedPerClass();
        var accuracy = new double[asked.Count];
        if (samples.Values.shape[0] == 0) return new SampleMetrics { ClassAccuracy = accuracy, Fid = double.NaN };
        // One pass gives both the labels (accuracy) and the features (FID) of the samples.
        var (predicted, features) = ClassifierTraining.PredictWithFeatures(classifier.Model, samples.Values);
        for (int k = 0; k < asked.Count; k++)
        {
            var (cls, count) = asked[k];
            // Divided by what was asked for: a sample the generator did not produce counts as wrong.
            accuracy[k] = (double)Enumerable.Range(0, predicted.Length).Count(i => samples.Conditions[i] == cls && predicted[i] == cls) / count;
        }
        var fid = FrechetDistance.Compute(RealFeatures(asked.Select(a => (int)a.Class).ToHashSet()), features);
        return new SampleMetrics { ClassAccuracy = accuracy, Fid = fid };
    }

    /// <summary>The cached features of the real test images of <paramref name="classes"/>, in dataset order.</summary>
    double[,] RealFeatures(HashSet<int> classes)
    {
        if (_testFeatures is null)
        {
            using var all = arange(test.Count, dtype: ScalarType.Int64);
            using var images = test.Batch(all);
            _testFeatures = ClassifierTraining.Features(classifier.Model, images);
        }
        var rows = Enumerable.Range(0, test.Count).Where(i => classes.Contains((int)test.Labels[i])).ToArray();
        var result = new double[rows.Length, DigitClassifier.FeatureSize];
        for (int r = 0; r < rows.Length; r++)
            for (int j = 0; j < DigitClassifier.FeatureSize; j++) result[r, j] = _testFeatures[rows[r], j];
        return result;
    }

    /// <summary>figures/tsne-first-class.png: t-SNE of classifier features of the samples of the first class asked for
    /// and of as many real test images of it as were asked for (none with fewer than 10 points).</summary>
    public string? Draw(GeneratedSamples samples, RunFolder run)
    {
        var (cls, asked) = samples.AskedPerClass()[0];
        using var generated = samples.OfClass(cls);
        using var real = test.WhereClass(new[] { (int)cls });
        using var idx = arange(Math.Min(asked, real.Count), dtype: ScalarType.Int64);
        using var realImages = real.Batch(idx);
        var fakeFeatures = ClassifierTraining.Features(classifier.Model, generated);
        var realFeatures = ClassifierTraining.Features(classifier.Model, realImages);
        int nf = fakeFeatures.GetLength(0), nr = realFeatures.GetLength(0), d = fakeFeatures.GetLength(1);
        if (nf + nr < 10) return null;
        var all = new double[nf + nr, d];
        for (int i = 0; i < nr; i++) for (int j = 0; j < d; j++) all[i, j] = realFeatures[i, j];
        for (int i = 0; i < nf; i++) for (int j = 0; j < d; j++) all[nr + i, j] = fakeFeatures[i, j];
        var y = Tsne.Embed(all, seed: 0);
        var path = Path.Combine(run.Root, "figures", "tsne-first-class.png");
        Visualization.Plots.Scatter(path,
            $"t-SNE of classifier features, class {test.ClassNames[(int)cls]}: real vs generated ({generatorName})", new[]
        {
            ("real", Enumerable.Range(0, nr).Select(i => y[i, 0]).ToArray(), Enumerable.Range(0, nr).Select(i => y[i, 1]).ToArray()),
            ("generated", Enumerable.Range(nr, nf).Select(i => y[i, 0]).ToArray(), Enumerable.Range(nr, nf).Select(i => y[i, 1]).ToArray()),
        }, "t-SNE dimension 1 (arbitrary units)", "t-SNE dimension 2 (arbitrary units)");
        return path;
    }

    /// <summary>The classifier and test set are the caller's.</summary>
    public void Dispose() { }
}
