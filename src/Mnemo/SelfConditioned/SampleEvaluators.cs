using System.Text.Json.Nodes;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Training;
using Mnemo.Visualization;
using static TorchSharp.torch;

namespace Mnemo.SelfConditioned;

/// <summary>Scores generated samples (and, at the end of a run, draws them into the run folder).</summary>
public interface ISampleEvaluator
{
    JsonObject Evaluate(Tensor samples, long[] conditions, RunFolder run, bool final);
}

/// <summary>2-D mixtures: modes recovered, % high-quality samples, reverse KL; scatter plots at the end.</summary>
public sealed class MixtureEvaluator : ISampleEvaluator
{
    readonly Mixture2D _mixture;
    readonly Tensor _realPoints;

    public MixtureEvaluator(Mixture2D mixture, Tensor realPoints)
    {
        _mixture = mixture;
        _realPoints = realPoints;
    }

    public JsonObject Evaluate(Tensor samples, long[] conditions, RunFolder run, bool final)
    {
        var points = samples.contiguous().data<float>().ToArray();
        var (modes, hq, kl) = ModeMetrics.Mixture(_mixture, points);
        if (final) Draw(points, conditions, run);
        return new JsonObject { ["modes"] = modes, ["max_modes"] = _mixture.Modes, ["high_quality"] = hq, ["reverse_kl"] = kl };
    }

    void Draw(float[] points, long[] conditions, RunFolder run)
    {
        int shown = Math.Min(5000, points.Length / 2);
        var real = _realPoints.narrow(0, 0, Math.Min(shown, _realPoints.shape[0])).contiguous().data<float>().ToArray();
        double[] Xs(float[] p, int n) => Enumerable.Range(0, n).Select(i => (double)p[2 * i]).ToArray();
        double[] Ys(float[] p, int n) => Enumerable.Range(0, n).Select(i => (double)p[2 * i + 1]).ToArray();
        var figures = Path.Combine(run.Root, "figures");
        Plots.Scatter(Path.Combine(figures, "real-vs-generated.png"), $"{_mixture.Name}: real (blue) and generated (orange)",
            new[] { ("real", Xs(real, real.Length / 2), Ys(real, real.Length / 2)), ("generated", Xs(points, shown), Ys(points, shown)) });
        var byCluster = Enumerable.Range(0, shown).GroupBy(i => conditions[i]).OrderBy(g => g.Key)
            .Select(g => ($"c{g.Key}", g.Select(i => (double)points[2 * i]).ToArray(), g.Select(i => (double)points[2 * i + 1]).ToArray()));
        Plots.Scatter(Path.Combine(figures, "generated-by-cluster.png"), $"{_mixture.Name}: generated samples coloured by the class they were conditioned on",
            byCluster, legend: false);
    }
}

/// <summary>Stacked-MNIST: each channel labelled by the MNIST classifier, mode = 100·d₁ + 10·d₂ + d₃; modes
/// covered (of 1000) and reverse KL (log base 10, as the reference code); a sample grid at the end.</summary>
public sealed class StackedMnistEvaluator : ISampleEvaluator
{
    readonly EvaluationClassifier _mnist;

    public StackedMnistEvaluator(EvaluationClassifier mnist) => _mnist = mnist;

    public long[] Modes(Tensor samples)
    {
        var digits = Enumerable.Range(0, 3).Select(ch => ClassifierTraining.Predict(_mnist.Model, samples.narrow(1, ch, 1))).ToArray();
        return Enumerable.Range(0, (int)samples.shape[0]).Select(i => digits[0][i] * 100 + digits[1][i] * 10 + digits[2][i]).ToArray();
    }

    public JsonObject Evaluate(Tensor samples, long[] conditions, RunFolder run, bool final)
    {
        var (modes, kl) = ModeMetrics.Predicted(Modes(samples), 1000);
        if (final) ImageGrid.SavePng(samples.narrow(0, 0, Math.Min(100, samples.shape[0])), 10, Path.Combine(run.ImagesDir, "samples.png"), scale: 2);
        return new JsonObject { ["modes"] = modes, ["max_modes"] = 1000, ["reverse_kl"] = kl };
    }
}

/// <summary>Image datasets without a mode classifier: FID (and IS) with a feature network against real test images.</summary>
public sealed class FeatureEvaluator : ISampleEvaluator
{
    readonly IFeatureExtractor _features;
    readonly GaussianStatistics _real;

    public FeatureEvaluator(IFeatureExtractor features, Tensor realImages)
    {
        _features = features;
        _real = GaussianStatistics.FromFeatures(features.Extract(ImageSource.Adapt(realImages, features.Channels, features.ImageSize)).Features);
    }

    public JsonObject Evaluate(Tensor samples, long[] conditions, RunFolder run, bool final)
    {
        using var adapted = ImageSource.Adapt(samples, _features.Channels, _features.ImageSize);
        var (f, logits) = _features.Extract(adapted);
        int splits = Math.Min(10, (int)samples.shape[0]); // fewer samples than splits: reported as is_splits
        var (isMean, isStd) = InceptionScore.FromLogits(logits, splits);
        if (final) ImageGrid.SavePng(samples.narrow(0, 0, Math.Min(100, samples.shape[0])), 10, Path.Combine(run.ImagesDir, "samples.png"), scale: 2);
        return new JsonObject
        {
            ["fid"] = FrechetDistance.Compute(_real, GaussianStatistics.FromFeatures(f)), ["is"] = isMean, ["is_std"] = isStd, ["is_splits"] = splits,
            ["features"] = _features.Name,
        };
    }
}
