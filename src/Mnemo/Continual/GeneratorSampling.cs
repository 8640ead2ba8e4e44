using Mnemo.Evaluation;
using Mnemo.Networks;
using Mnemo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Continual;

/// <summary>Draws class-c images from a trained continual model.</summary>
public static class GeneratorSampling
{
    public const int BatchSize = 64;

    /// <summary><paramref name="count"/> images of class <paramref name="cls"/> from the generator that is evaluated
    /// (<see cref="MerganModels.SamplingGenerator"/>), in single-class batches of 64 as the official evaluation does;
    /// fewer only for DGR, whose solver picks the class (<see cref="SolverLabels.SampleClass"/>).</summary>
    public static Tensor SampleClass(MerganModels models, int cls, int count) =>
        InEvaluationMode(models, g => models.Labels.SampleClass(g, cls, count));

    /// <summary>The classes seen up to task <paramref name="lastTask"/> (0-based), grouped as training generated them
    /// together: each task's classes, and for joint training every seen class in one group (as the official joint.py
    /// evaluates its model).</summary>
    public static IReadOnlyList<int[]> TrainingGroups(ContinualMethod method, Data.TaskSequence sequence, int lastTask) =>
        method == ContinualMethod.Jt ? new[] { sequence.ClassesUpTo(lastTask) } : sequence.Tasks.Take(lastTask + 1).ToArray();

    /// <summary>
    /// <paramref name="perClass"/> images of every class of <paramref name="groups"/>, each group generated as it was
    /// in training (<see cref="ILabelSource.SampleGroup"/>: a conditional generator's group of several classes in
    /// batches that mix them). The samples come class after class in the groups' order, with the request they
    /// answer (DGR can return fewer).
    /// </summary>
    public static GeneratedSamples SampleClasses(MerganModels models, IReadOnlyList<int[]> groups, int perClass, IProgressReporter progress)
    {
        var classes = groups.SelectMany(g => g).ToArray();
        var byClass = new Dictionary<int, Tensor>();
        progress.Start("sampling", groups.Count);
        try
        {
            for (var done = 0; done < groups.Count; done++)
            {
                var group = groups[done];
                foreach (var (c, images) in InEvaluationMode(models, g => models.Labels.SampleGroup(g, group, perClass).ToList())) byClass[c] = images;
                progress.Report(done + 1);  // counted in groups, as Start announced (a group can hold several classes)
            }
            var conditions = classes.SelectMany(c => Enumerable.Repeat((long)c, (int)byClass[c].shape[0])).ToList();
            return new GeneratedSamples(cat(classes.Select(c => byClass[c]).ToArray()), conditions) { Requested = new ClassRequest(classes, perClass) };
        }
        finally
        {
            foreach (var images in byClass.Values) images.Dispose();
        }
    }

    /// <summary><paramref name="count"/> images of an unconditional generator (DGR's, label-free DGR's: condition 0) from
    /// the generator that is evaluated, in batches of 64 as DGR's own sampling draws them.</summary>
    public static Tensor Unconditional(MerganModels models, long count) =>
        InEvaluationMode(models, g => ChunkedSampling.Draw(count, BatchSize, n =>
        {
            using var z = randn(n, g.ZDim, device: models.Device);
            using var labels = zeros(n, dtype: ScalarType.Int64, device: models.Device);
            return g.forward(z, labels);
        }, minChunk: 2));

    /// <summary>A grid batch: one row per class, the same <paramref name="fixedNoise"/> in every row (each row a
    /// separate batch-norm group, like a per-class call). DGR rows hold the first samples its solver gives that label.</summary>
    public static Tensor ClassRows(MerganModels models, IReadOnlyList<int> classes, Tensor fixedNoise) =>
        InEvaluationMode(models, g => models.Labels.ClassRows(g, classes, fixedNoise));

    /// <summary>Draws from the evaluated generator in evaluation mode, without gradients.</summary>
    static T InEvaluationMode<T>(MerganModels models, Func<ConditionalGenerator, T> draw)
    {
        using var _ = no_grad();
        var generator = models.SamplingGenerator;
        generator.eval();
        try { return draw(generator); }
        finally { generator.train(); }
    }
}
