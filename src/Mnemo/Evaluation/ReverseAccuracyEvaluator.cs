using TorchSharp;
using Mnemo.Data;
using Mnemo.Networks;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>
/// Reverse accuracy (MeRGAN paper): a fresh classifier trained only on the generated samples, labelled with the class
/// each was generated for, then tested on the real test images of the classes asked for.
/// </summary>
/// <param name="classes">Outputs of the trained classifier (the dataset's class count).</param>
public sealed class ReverseAccuracyEvaluator(ImageDataset test, int classes, IProgressReporter progress) : ISampleEvaluator
{
    public SampleMetrics Evaluate(GeneratedSamples samples)
    {
        var asked = samples.AskedPerClass();
        if (samples.Values.shape[0] == 0) return new SampleMetrics { ReverseAccuracy = 0 };
        // About ten passes over the asked-for set at batch 128, at most 1000 steps (the quick and paper profiles).
        int steps = Math.Clamp(asked.Sum(a => a.Asked) / 10, 50, 1000);
        var images = samples.Values;
        // The classifier trains where the samples are (the run's device).
        using var labels = tensor(samples.Conditions.ToArray(), device: images.device);
        using var model = new DigitClassifier(classes, (int)images.shape[1], (int)images.shape[2]);
        model.to(images.device);
        ClassifierTraining.Train(model, n =>
        {
            var idx = randint(0, images.shape[0], n, dtype: ScalarType.Int64, device: images.device);
            return (images.index_select(0, idx), labels.index_select(0, idx));
        }, steps, progress: progress, phase: "reverse-accuracy classifier");
        using var real = test.WhereClass(asked.Select(a => (int)a.Class).ToArray());
        return new SampleMetrics { ReverseAccuracy = ClassifierTraining.Accuracy(model, real) };
    }

    /// <summary>No figures of its own.</summary>
    public string? Draw(GeneratedSamples samples, RunFolder run) => null;

    public void Dispose() { }
}
