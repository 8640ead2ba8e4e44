using Mnemo.Data;
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
    public SampleMetrics Evaluate(GeneratedSamples samples)
    {
        var asked = samples.AskedPerClass();
        var accuracy = new double[asked.Count];
        for (int k = 0; k < asked.Count; k++)
        {
            var (cls, count) = asked[k];
            using var images = samples.OfClass(cls);
            if (images.shape[0] == 0) continue; // a class the generator produced nothing of: 0
            accuracy[k] = (double)ClassifierTraining.Predict(classifier.Model, images).Count(p => p == cls) / count;
        }
        double fid = double.NaN;
        if (samples.Values.shape[0] > 0)
        {
            using var real = test.WhereClass(asked.Select(a => (int)a.Class).ToArray());
            using var idx = arange(real.Count, dtype: ScalarType.Int64);
            using var realImages = real.Batch(idx);
            fid = FrechetDistance.Compute(ClassifierTraining.Features(classifier.Model, realImages), ClassifierTraining.Features(classifier.Model, samples.Values));
        }
        return new SampleMetrics { ClassAccuracy = accuracy, Fid = fid };
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
