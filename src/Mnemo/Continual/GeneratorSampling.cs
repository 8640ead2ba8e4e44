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

    /// <summary>
    /// <paramref name="count"/> images of class <paramref name="cls"/> (fewer only for DGR, see below), generated
    /// in single-class batches of 64 as the official evaluation does. DGR's generator is unconditional: its
    /// "class c" samples are the generated images its solver labels c (rejection sampling, at most 50× the
    /// requested number of draws); a class it has forgotten can come back with fewer or no images.
    /// </summary>
    public static Tensor SampleClass(MerganModels models, int cls, int count, int zDim)
    {
        using var _ = no_grad();
        models.SamplingGenerator.eval();
        if (models.Method != ContinualMethod.Dgr)
        {
            // Batches of at least 2: the generator's batch norm needs batch statistics.
            var images = ChunkedSampling.Draw(count, BatchSize, n =>
            {
                using var z = randn(n, zDim);
                using var labels = full(n, (long)cls, dtype: ScalarType.Int64);
                return models.SamplingGenerator.forward(z, labels);
            }, minChunk: 2);
            models.SamplingGenerator.train();
            return images;
        }
        // DGR: rejection sampling through the solver.
        var parts = new List<Tensor>();
        long have = 0;
        models.Solver!.eval();
        long draws = 0, maxDraws = 50L * count;
        while (have < count && draws < maxDraws)
        {
            using var scope = NewDisposeScope();
            var images = models.SamplingGenerator.forward(randn(BatchSize, zDim), zeros(BatchSize, dtype: ScalarType.Int64));
            var keep = models.Solver.forward(images).argmax(1).eq(cls).nonzero().view(-1);
            draws += BatchSize;
            if (keep.shape[0] == 0) continue;
            var kept = images.index_select(0, keep);
            if (have + kept.shape[0] > count) kept = kept.narrow(0, 0, count - have);
            have += kept.shape[0];
            parts.Add(kept.MoveToOuterDisposeScope());
        }
        models.SamplingGenerator.train();
        if (parts.Count == 0) return empty(0, models.Channels, models.Options.ImageSize, models.Options.ImageSize);
        var result = cat(parts.ToArray());
        foreach (var p in parts) p.Dispose();
        return result;
    }

    /// <summary>
    /// <paramref name="perClass"/> images of every class of <paramref name="groups"/>, each group generated in batches
    /// of 64 that mix its classes in turn (c₁, c₂, …, c₁, …), as they were mixed in training; a group of one class is
    /// <see cref="SampleClass"/>'s single-class batches. With batch norm on batch statistics the composition of a
    /// batch changes the images (docs/mergan.md, "Evaluation"): the official mergan.py evaluates its one-class tasks in
    /// single-class batches, joint.py its joint model in batches of all classes. The samples come class after class in
    /// the groups' order, with the request they answer (DGR can return fewer).
    /// </summary>
    public static GeneratedSamples SampleClasses(MerganModels models, IReadOnlyList<int[]> groups, int perClass, IProgressReporter progress)
    {
        var classes = groups.SelectMany(g => g).ToArray();
        var byClass = new Dictionary<int, Tensor>();
        progress.Start("sampling", groups.Count);
        try
        {
            foreach (var group in groups)
            {
                if (group.Length == 1 || models.Method == ContinualMethod.Dgr)
                    foreach (var c in group) byClass[c] = SampleClass(models, c, perClass, models.Options.ZDim);
                else
                    foreach (var (c, images) in SampleMixed(models, group, perClass)) byClass[c] = images;
                progress.Report(byClass.Count);
            }
            var conditions = classes.SelectMany(c => Enumerable.Repeat((long)c, (int)byClass[c].shape[0])).ToList();
            return new GeneratedSamples(cat(classes.Select(c => byClass[c]).ToArray()), conditions) { Requested = new ClassRequest(classes, perClass) };
        }
        finally
        {
            foreach (var images in byClass.Values) images.Dispose();
        }
    }

    static IEnumerable<(int Class, Tensor Images)> SampleMixed(MerganModels models, int[] group, int perClass)
    {
        using var _ = no_grad();
        var generator = models.SamplingGenerator;
        // Every batch holds the same cycle of labels, so the rarest class of a batch has ⌊batch / |group|⌋ images.
        int batch = Math.Max(BatchSize, group.Length);
        var cycle = Enumerable.Range(0, batch).Select(i => (long)group[i % group.Length]).ToArray();
        int batches = (perClass + batch / group.Length - 1) / (batch / group.Length);
        using var batchLabels = tensor(cycle);
        using var labels = batchLabels.repeat(batches);
        using var images = ChunkedSampling.Draw((long)batches * batch, batch, n =>
        {
            using var z = randn(n, models.Options.ZDim);
            return generator.forward(z, batchLabels);
        });
        foreach (var c in group)
        {
            using var rows = labels.eq(c).nonzero().view(-1).narrow(0, 0, perClass);
            yield return (c, images.index_select(0, rows));
        }
    }

    /// <summary>A grid batch: one row per class, the same <paramref name="fixedNoise"/> in every row (each row a
    /// separate batch-norm group, like a per-class call). DGR rows hold the first samples its solver gives that label.</summary>
    public static Tensor ClassRows(MerganModels models, IReadOnlyList<int> classes, Tensor fixedNoise)
    {
        using var _ = no_grad();
        int columns = (int)fixedNoise.shape[0];
        if (models.Method == ContinualMethod.Dgr)
        {
            var rows = classes.Select(c =>
            {
                var s = SampleClass(models, c, columns, models.Options.ZDim);
                return s.shape[0] == columns ? s : cat(new[] { s, full(columns - s.shape[0], models.Channels, models.Options.ImageSize, models.Options.ImageSize, -1f) });
            }).ToArray();
            return cat(rows);
        }
        models.SamplingGenerator.eval();
        var z = fixedNoise.repeat(classes.Count, 1);
        var labels = tensor(classes.SelectMany(c => Enumerable.Repeat((long)c, columns)).ToArray());
        var result = models.SamplingGenerator.Generate(z, labels, classes.Count);
        models.SamplingGenerator.train();
        return result;
    }
}
