using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Networks;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Continual;

/// <summary>The paper's evaluation of a continual generator: classifier accuracy per class, FID, reverse accuracy.</summary>
public sealed class ContinualEvaluator
{
    readonly EvaluationClassifier _classifier;
    readonly DatasetSplit _data;
    readonly IProgressReporter _progress;

    public ContinualEvaluator(EvaluationClassifier classifier, DatasetSplit data, IProgressReporter progress)
    {
        _classifier = classifier;
        _data = data;
        _progress = progress;
    }

    /// <summary>Accuracy of the evaluation classifier on generated images of each seen class (null for unseen
    /// classes), their mean, and the FID of all seen classes' samples against the real test images of those classes.</summary>
    /// <param name="seenGroups">The seen classes in the groups they are generated in together (see
    /// <see cref="GeneratorSampling.SampleClasses"/>).</param>
    public (double?[] Accuracy, double Average, double Fid) EvaluateTask(MerganModels models, int[] sequenceClasses, IReadOnlyList<int[]> seenGroups, int samplesPerClass)
    {
        var accuracy = new double?[sequenceClasses.Length];
        var generated = new List<Tensor>();
        var seen = seenGroups.SelectMany(g => g).ToArray();
        var samples = GeneratorSampling.SampleClasses(models, seenGroups, samplesPerClass);
        _progress.Start("evaluating", seen.Length);
        for (int k = 0; k < sequenceClasses.Length; k++)
        {
            int c = sequenceClasses[k];
            if (!seen.Contains(c)) continue;
            var images = samples[c];
            if (images.shape[0] == 0) { accuracy[k] = 0; images.Dispose(); continue; }
            var predicted = ClassifierTraining.Predict(_classifier.Model, images);
            // DGR may return fewer than requested: images its solver never labels c count as wrong.
            accuracy[k] = (double)predicted.Count(p => p == c) / samplesPerClass;
            generated.Add(images);
            _progress.Report(generated.Count);
        }
        var average = accuracy.Where(a => a.HasValue).Average(a => a!.Value);
        double fid = double.NaN;
        if (generated.Count > 0)
        {
            using var fake = cat(generated.ToArray());
            using var real = _data.Test.WhereClass(seen);
            using var realImages = AllImages(real);
            fid = FrechetDistance.Compute(ClassifierTraining.Features(_classifier.Model, realImages), ClassifierTraining.Features(_classifier.Model, fake));
        }
        foreach (var g in generated) g.Dispose();
        return (accuracy, average, fid);
    }

    /// <summary>Reverse accuracy: a fresh classifier trained only on generated images of every class, tested on the
    /// real test images of those classes.</summary>
    public double ReverseAccuracy(MerganModels models, IReadOnlyList<int[]> groups, int samplesPerClass)
    {
        var classes = groups.SelectMany(g => g).ToArray();
        // About ten passes over the generated set at batch 128, at most 1000 steps (the quick and paper profiles).
        int steps = Math.Clamp(samplesPerClass * classes.Length / 10, 50, 1000);
        var images = new List<Tensor>();
        var labels = new List<long>();
        var samples = GeneratorSampling.SampleClasses(models, groups, samplesPerClass);
        foreach (var c in classes)
        {
            var s = samples[c];
            images.Add(s);
            labels.AddRange(Enumerable.Repeat((long)c, (int)s.shape[0]));
        }
        using var all = cat(images.ToArray());
        foreach (var i in images) i.Dispose();
        if (all.shape[0] == 0) return 0;
        using var allLabels = tensor(labels.ToArray());
        using var model = new DigitClassifier(_data.Train.ClassCount, models.Channels, models.Options.ImageSize);
        ClassifierTraining.Train(model, n =>
        {
            var idx = randint(0, all.shape[0], n, dtype: ScalarType.Int64);
            return (all.index_select(0, idx), allLabels.index_select(0, idx));
        }, steps, progress: _progress, phase: "reverse-accuracy classifier");
        using var test = _data.Test.WhereClass(classes);
        return ClassifierTraining.Accuracy(model, test);
    }

    /// <summary>The MeRGAN post's figure: t-SNE of classifier features of generated and real images of one class.</summary>
    public void TsneFigure(MerganModels models, int cls, string className, string path, int count = 300)
    {
        using var generated = GeneratorSampling.SampleClass(models, cls, count, models.Options.ZDim);
        using var real = _data.Test.WhereClass(new[] { cls });
        using var idx = arange(Math.Min(count, real.Count), dtype: ScalarType.Int64);
        using var realImages = real.Batch(idx);
        var fakeFeatures = ClassifierTraining.Features(_classifier.Model, generated);
        var realFeatures = ClassifierTraining.Features(_classifier.Model, realImages);
        int nf = fakeFeatures.GetLength(0), nr = realFeatures.GetLength(0), d = fakeFeatures.GetLength(1);
        if (nf + nr < 10) return;
        var all = new double[nf + nr, d];
        for (int i = 0; i < nr; i++) for (int j = 0; j < d; j++) all[i, j] = realFeatures[i, j];
        for (int i = 0; i < nf; i++) for (int j = 0; j < d; j++) all[nr + i, j] = fakeFeatures[i, j];
        var y = Tsne.Embed(all, seed: 0);
        Visualization.Plots.Scatter(path, $"t-SNE of classifier features, class {className}: real vs generated ({models.Method.DisplayName()})", new[]
        {
            ("real", Enumerable.Range(0, nr).Select(i => y[i, 0]).ToArray(), Enumerable.Range(0, nr).Select(i => y[i, 1]).ToArray()),
            ("generated", Enumerable.Range(nr, nf).Select(i => y[i, 0]).ToArray(), Enumerable.Range(nr, nf).Select(i => y[i, 1]).ToArray()),
        }, "t-SNE dimension 1 (arbitrary units)", "t-SNE dimension 2 (arbitrary units)");
    }

    static Tensor AllImages(ImageDataset data)
    {
        using var idx = arange(data.Count, dtype: ScalarType.Int64);
        return data.Batch(idx);
    }
}
