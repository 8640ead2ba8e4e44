using Mnemo.Data;
using Mnemo.Training;
using Mnemo.Visualization;
using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>Scores generated samples; every system's evaluation of a generator (MeRGAN's accuracy per class and
/// reverse accuracy, the Self-Conditioned GAN's mode metrics, FID and IS of all three) goes through one of these.</summary>
public interface ISampleEvaluator : IDisposable
{
    SampleMetrics Evaluate(GeneratedSamples samples);

    /// <summary>Figures of a run's samples, written into its folder (each evaluation overwrites the previous ones).</summary>
    /// <returns>The path of the figure that shows the samples themselves (a grid, or real and generated points); null
    /// when the evaluator draws none.</returns>
    string? Draw(GeneratedSamples samples, RunFolder run);
}

/// <summary>Samples drawn from a generator for an evaluation; disposing them frees <see cref="Values"/>.</summary>
/// <param name="Values">N×2 points or N×C×H×W images in [-1, 1].</param>
/// <param name="Conditions">The class each sample was generated for (N values; empty for a generator without classes).</param>
public sealed record GeneratedSamples(Tensor Values, IReadOnlyList<long> Conditions) : IDisposable
{
    /// <summary>What was asked for, when a generator may return fewer samples of a class than asked (DGR keeps the
    /// samples its solver labels with the class): per-class scores then count a sample never produced as wrong. Null
    /// when <see cref="Conditions"/> is exactly what was asked for.</summary>
    public ClassRequest? Requested { get; init; }

    /// <summary>The classes asked for, in order, and how many samples of each: <see cref="Requested"/>, or else the
    /// classes of <see cref="Conditions"/> in order of appearance with their counts.</summary>
    public IReadOnlyList<(long Class, int Asked)> AskedPerClass() =>
        Requested is { } r ? r.Classes.Select(c => ((long)c, r.PerClass)).ToList()
            : Conditions.Distinct().Select(c => (c, Conditions.Count(x => x == c))).ToList();

    /// <summary>The samples generated for class <paramref name="cls"/> (a new tensor; empty when there are none).</summary>
    public Tensor OfClass(long cls)
    {
        using var idx = TorchSharp.torch.tensor(Enumerable.Range(0, Conditions.Count).Where(i => Conditions[i] == cls).Select(i => (long)i).ToArray(),
            dtype: ScalarType.Int64, device: Values.device);
        return Values.index_select(0, idx);
    }

    public void Dispose() => Values.Dispose();
}

/// <summary>Samples asked of a class-conditional generator: <paramref name="PerClass"/> of each of <paramref name="Classes"/>.</summary>
public sealed record ClassRequest(IReadOnlyList<int> Classes, int PerClass);

/// <summary>Writes a grid of the first 100 images; the image evaluators' <see cref="ISampleEvaluator.Draw"/>.</summary>
static class SampleGrid
{
    public static string Save(Tensor samples, RunFolder run)
    {
        var path = Path.Combine(run.ImagesDir, "samples.png");
        ImageGrid.SavePng(samples.narrow(0, 0, Math.Min(100, samples.shape[0])), 10, path, scale: 2);
        return path;
    }
}

/// <summary>2-D mixtures: modes recovered, % high-quality samples, reverse KL; scatter plots at the end.</summary>
public sealed class MixtureEvaluator(Mixture2D mixture, Tensor realPoints) : ISampleEvaluator
{
    public SampleMetrics Evaluate(GeneratedSamples samples)
    {
        var (modes, hq, kl) = ModeMetrics.Mixture(mixture, samples.Values.cpu().contiguous().data<float>().ToArray());
        return new SampleMetrics { Modes = modes, MaxModes = mixture.Modes, HighQuality = hq, ReverseKl = kl };
    }

    public string Draw(GeneratedSamples samples, RunFolder run)
    {
        var points = samples.Values.cpu().contiguous().data<float>().ToArray();
        var conditions = samples.Conditions;
        int shown = Math.Min(5000, points.Length / 2);
        var real = realPoints.narrow(0, 0, Math.Min(shown, realPoints.shape[0])).cpu().contiguous().data<float>().ToArray();
        double[] Xs(float[] p, int n) => Enumerable.Range(0, n).Select(i => (double)p[2 * i]).ToArray();
        double[] Ys(float[] p, int n) => Enumerable.Range(0, n).Select(i => (double)p[2 * i + 1]).ToArray();
        var figures = Path.Combine(run.Root, "figures");
        var realVsGenerated = Path.Combine(figures, "real-vs-generated.png");
        Plots.Scatter(realVsGenerated, $"{mixture.Name}: real (blue) and generated (orange)",
            new[] { ("real", Xs(real, real.Length / 2), Ys(real, real.Length / 2)), ("generated", Xs(points, shown), Ys(points, shown)) },
            "x (data units)", "y (data units)");
        var byCluster = Enumerable.Range(0, shown).GroupBy(i => conditions[i]).OrderBy(g => g.Key)
            .Select(g => ($"c{g.Key}", g.Select(i => (double)points[2 * i]).ToArray(), g.Select(i => (double)points[2 * i + 1]).ToArray()));
        Plots.Scatter(Path.Combine(figures, "generated-by-cluster.png"), $"{mixture.Name}: generated samples coloured by the class they were conditioned on",
            byCluster, "x (data units)", "y (data units)", legend: false);
        return realVsGenerated;
    }

    public void Dispose() { }
}

/// <summary>Stacked-MNIST: each channel labelled by the MNIST classifier, mode = 100·d₁ + 10·d₂ + d₃; modes
/// covered (of 1000) and reverse KL (log base 10, as the reference code); a sample grid at the end.</summary>
public sealed class StackedMnistEvaluator(EvaluationClassifier mnist) : ISampleEvaluator
{
    public long[] Modes(Tensor samples)
    {
        var digits = Enumerable.Range(0, 3).Select(ch => ClassifierTraining.Predict(mnist.Model, samples.narrow(1, ch, 1))).ToArray();
        return Enumerable.Range(0, (int)samples.shape[0]).Select(i => digits[0][i] * 100 + digits[1][i] * 10 + digits[2][i]).ToArray();
    }

    public SampleMetrics Evaluate(GeneratedSamples samples)
    {
        var (modes, kl) = ModeMetrics.Predicted(Modes(samples.Values), 1000);
        return new SampleMetrics { Modes = modes, MaxModes = 1000, ReverseKl = kl };
    }

    public string Draw(GeneratedSamples samples, RunFolder run) => SampleGrid.Save(samples.Values, run);

    public void Dispose() => mnist.Dispose();
}

/// <summary>FID and IS with a feature network against real images; with an evaluation classifier as the feature
/// network, also the classifier's label histogram of the samples (MemoryGAN's mode-coverage measure).</summary>
public sealed class FeatureEvaluator : ISampleEvaluator
{
    readonly IFeatureExtractor _features;
    readonly GaussianStatistics _real;
    readonly EvaluationClassifier? _labeller;

    /// <param name="realImages">N×C×H×W real test images in [-1, 1] (adapted to the feature network's input).</param>
    /// <param name="labeller">When given, its predicted labels give the label histogram.</param>
    public FeatureEvaluator(IFeatureExtractor features, Tensor realImages, EvaluationClassifier? labeller = null)
    {
        _features = features;
        _labeller = labeller;
        var adapted = ImageSource.Adapt(realImages, features.Channels, features.ImageSize);
        _real = GaussianStatistics.FromFeatures(features.Extract(adapted).Features);
        // Adapt hands back its input when no change is needed: that tensor is the caller's.
        if (!ReferenceEquals(adapted, realImages)) adapted.Dispose();
    }

    public SampleMetrics Evaluate(GeneratedSamples generated)
    {
        var samples = generated.Values;
        var adapted = ImageSource.Adapt(samples, _features.Channels, _features.ImageSize);
        var (f, logits) = _features.Extract(adapted);
        if (!ReferenceEquals(adapted, samples)) adapted.Dispose();
        int splits = Math.Min(10, (int)samples.shape[0]); // fewer samples than splits: reported as is_splits
        var (isMean, isStd) = InceptionScore.FromLogits(logits, splits);
        var metrics = new SampleMetrics
        {
            Fid = FrechetDistance.Compute(_real, GaussianStatistics.FromFeatures(f)), Is = isMean, IsStd = isStd, IsSplits = splits,
            Features = _features.Name,
        };
        if (_labeller is null) return metrics;
        var predicted = ClassifierTraining.Predict(_labeller.Model, samples);
        var histogram = new int[_labeller.Model.Classes];
        foreach (var c in predicted) histogram[c]++;
        return metrics with
        {
            ClassesGenerated = histogram.Count(h => h > 0),
            LabelHistogram = histogram.Select(h => (double)h / predicted.Length).ToArray(),
        };
    }

    public string Draw(GeneratedSamples samples, RunFolder run) => SampleGrid.Save(samples.Values, run);

    public void Dispose() => _features.Dispose();
}
