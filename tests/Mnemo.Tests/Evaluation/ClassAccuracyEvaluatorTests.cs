using Mnemo.Evaluation;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Tests.Evaluation;

/// <summary>MeRGAN's evaluation through the shared evaluator interface: accuracy per class asked for (a sample a
/// generator never produced counts as wrong), FID against the real images of those classes, reverse accuracy.</summary>
[Collection(GlobalTorchRng.Name)]
public class ClassAccuracyEvaluatorTests
{
    [Fact]
    public void AccuracyDividesByWhatWasAskedForAndAClassWithoutSamplesScoresZero()
    {
        using var dir = new TempDir();
        using var data = SyntheticData.SquaresSplit(3, perClass: 40);
        using var classifier = EvaluationClassifier.LoadOrTrain(dir.Path, "squares", data, trainSteps: 20);
        // Real test images stand in for generated ones: 6 of class 0, 3 of class 1, none of class 2.
        using var zeros = data.Test.WhereClass([0]);
        using var ones = data.Test.WhereClass([1]);
        using var zeroImages = zeros.Batch(arange(6, dtype: ScalarType.Int64));
        using var oneImages = ones.Batch(arange(3, dtype: ScalarType.Int64));
        using var samples = new GeneratedSamples(cat(new[] { zeroImages, oneImages }), [0, 0, 0, 0, 0, 0, 1, 1, 1]) { Requested = new([0, 1, 2], 6) };
        using var evaluator = new ClassAccuracyEvaluator(classifier, data.Test, "test");

        var metrics = evaluator.Evaluate(samples);
        double Share(Tensor images, long cls, int asked) => (double)ClassifierTraining.Predict(classifier.Model, images).Count(p => p == cls) / asked;
        Assert.Equal(new[] { Share(zeroImages, 0, 6), Share(oneImages, 1, 6), 0 }, metrics.ClassAccuracy);
        Assert.True(metrics.Fid is >= 0 and < double.PositiveInfinity);

        // Without a request, each class counts what it has.
        var unrequested = evaluator.Evaluate(samples with { Requested = null });
        Assert.Equal(new[] { Share(zeroImages, 0, 6), Share(oneImages, 1, 3) }, unrequested.ClassAccuracy);
    }

    [Fact]
    public void ReverseAccuracyTrainsOnTheSamplesAndTestsOnRealImagesOfTheAskedClasses()
    {
        using var data = SyntheticData.SquaresSplit(2, perClass: 60);
        using var idx = arange(data.Train.Count, dtype: ScalarType.Int64);
        using var samples = new GeneratedSamples(data.Train.Batch(idx), data.Train.Labels) { Requested = new([0, 1], 60) };
        manual_seed(4);
        var metrics = new ReverseAccuracyEvaluator(data.Test, 2, NullProgress.Instance).Evaluate(samples);
        Assert.True(metrics.ReverseAccuracy > 0.9, $"reverse accuracy {metrics.ReverseAccuracy}"); // real squares are easy to learn
        using var none = new GeneratedSamples(empty(0, 1, 32, 32), []) { Requested = new([0, 1], 60) };
        Assert.Equal(0, new ReverseAccuracyEvaluator(data.Test, 2, NullProgress.Instance).Evaluate(none).ReverseAccuracy);
    }
}
