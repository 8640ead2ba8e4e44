using Mnemo.Evaluation;
using Mnemo.Losses;
using Mnemo.Networks;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Continual;

/// <summary>The AC-GAN labels of MeRGAN and of every baseline but DGR: real batches carry their labels, the generator
/// draws the class it is given, and the critic's auxiliary classifier learns the classes.</summary>
public sealed class AcganLabels(int classes) : ILabelSource
{
    public int NetworkClasses => classes;

    public void Build() { }

    public void BeginTask(int task) { }

    public (Tensor Images, Tensor Labels) RealBatch(TaskBatches task, int n) => task.Real(n);

    public Tensor FakeLabels(Tensor realLabels) => realLabels;

    /// <summary>The labels of a fresh real batch, as the official code feeds its generator step.</summary>
    public Tensor GeneratorLabels(TaskBatches task, int n) => task.Real(n).Labels;

    public Tensor? ClassLoss(Tensor logits, Tensor labels) => AuxiliaryClassifierLoss.Compute(logits, labels);

    public Tensor? StepAfterCritic(TaskBatches task, int n) => null;

    /// <summary>Single-class batches of 64 as the official evaluation draws them (at least 2: batch norm needs batch
    /// statistics).</summary>
    public Tensor SampleClass(ConditionalGenerator generator, int cls, int count)
    {
        var device = generator.Device;
        return ChunkedSampling.Draw(count, GeneratorSampling.BatchSize, n =>
        {
            using var z = randn(n, generator.ZDim, device: device);
            using var labels = full(n, (long)cls, dtype: ScalarType.Int64, device: device);
            return generator.forward(z, labels);
        }, minChunk: 2);
    }

    /// <summary>A class alone in single-class batches (<see cref="SampleClass"/>); several classes in batches of 64 that
    /// mix them in turn (c₁, c₂, …, c₁, …) as training did: the official mergan.py evaluates its one-class tasks in
    /// single-class batches, joint.py its joint model in batches of all classes.</summary>
    public IEnumerable<(int Class, Tensor Images)> SampleGroup(ConditionalGenerator generator, int[] group, int perClass)
    {
        if (group.Length == 1) return [(group[0], SampleClass(generator, group[0], perClass))];
        return SampleMixed(generator, group, perClass);
    }

    static IEnumerable<(int Class, Tensor Images)> SampleMixed(ConditionalGenerator generator, int[] group, int perClass)
    {
        // Every batch holds the same cycle of labels, so the rarest class of a batch has ⌊batch / |group|⌋ images.
        int batch = Math.Max(GeneratorSampling.BatchSize, group.Length);
        var cycle = Enumerable.Range(0, batch).Select(i => (long)group[i % group.Length]).ToArray();
        int batches = (perClass + batch / group.Length - 1) / (batch / group.Length);
        var device = generator.Device;
        using var batchLabels = tensor(cycle, device: device);
        using var labels = batchLabels.repeat(batches);
        using var images = ChunkedSampling.Draw((long)batches * batch, batch, n =>
        {
            using var z = randn(n, generator.ZDim, device: device);
            return generator.forward(z, batchLabels);
        });
        foreach (var c in group)
        {
            using var rows = labels.eq(c).nonzero().view(-1).narrow(0, 0, perClass);
            yield return (c, images.index_select(0, rows));
        }
    }

    /// <summary>The same noise in every row, each row a separate batch-norm group (like a per-class call).</summary>
    public Tensor ClassRows(ConditionalGenerator generator, IReadOnlyList<int> classes, Tensor fixedNoise)
    {
        int columns = (int)fixedNoise.shape[0];
        var z = fixedNoise.to(generator.Device).repeat(classes.Count, 1);
        var labels = tensor(classes.SelectMany(c => Enumerable.Repeat((long)c, columns)).ToArray(), device: generator.Device);
        return generator.Generate(z, labels, classes.Count);
    }

    public void Save(Checkpoint checkpoint) { }

    public void Load(Checkpoint checkpoint) { }

    public void Dispose() { }
}
