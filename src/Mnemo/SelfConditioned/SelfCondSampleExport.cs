using Mnemo.Evaluation;
using Mnemo.Interop;
using Mnemo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.SelfConditioned;

/// <summary>Exports samples of a Self-Conditioned GAN run's newest checkpoint (or of its baselines) with the class each
/// was generated for: images in an .npz (<c>images</c> uint8 N×H×W×C, <c>clusters</c> int64) or PNG folders per
/// cluster; 2-D runs as <c>points</c> float32 N×2. The generator runs in evaluation mode, as the run's evaluation.</summary>
public static class SelfCondSampleExport
{
    /// <param name="ids">Clusters (the supervised baseline: true classes) to sample, <paramref name="n"/> each; null:
    /// <paramref name="n"/> samples in all, each cluster drawn in proportion to its size at the last clustering (the
    /// real samples' share that training conditions on; baselines: uniformly).</param>
    /// <exception cref="MnemoException">Not a Self-Cond run, no checkpoint yet, n &lt; 1 or an id outside the run's classes.</exception>
    public static WrittenSamples Export(string runDir, IReadOnlyList<int>? ids, int n, string output, int seed, IProgressReporter progress)
    {
        if (n < 1) throw new MnemoException("--n must be at least 1");
        var (run, settings) = RunFolder.Open(runDir);
        var options = SelfCondOptions.FromJson(settings);
        var checkpoint = new CheckpointStore(run.CheckpointsDir).LoadLatest(SelfCondSystem.Kind, RunSettings.Fingerprint(options))
                         ?? throw new MnemoException($"{runDir} has no checkpoint yet; train first.");
        // Classes (used by the supervised baseline) and channels from the stored weights: no dataset is read.
        int classes = (int)CheckpointShapes.Of(checkpoint, "generator", "embedding.weight")[0];
        int channels = options.IsTwoD ? 0 : (int)CheckpointShapes.Of(checkpoint, "generator", "body.out.weight")[0];
        using var models = new SelfCondModels(options, classes, channels);
        models.Load(checkpoint);
        foreach (var id in ids ?? [])
            if (id < 0 || id >= models.Classes) throw new MnemoException($"cluster {id} is outside 0..{models.Classes - 1} of this run");
        using var noise = new Generator((ulong)seed);
        var conditions = ids is null ? Drawn(options, checkpoint, models.Classes, n, noise) : ids.SelectMany(id => Enumerable.Repeat((long)id, n)).ToArray();
        models.Generator.eval();
        progress.Start("sampling", conditions.Length);
        int done = 0;
        using var samples = new GeneratedSamples(ChunkedSampling.Draw(conditions.Length, 500, size =>
        {
            using var y = tensor(conditions.AsSpan(done, size).ToArray());
            using var z = randn(size, options.ZDim, generator: noise);
            done += size;
            progress.Report(done);
            return ChunkedSampling.Sliced(z, y, 100, models.Generator.forward);
        }), conditions);
        return GeneratedSampleFile.Write(output, samples, "clusters");
    }

    /// <summary>n conditions drawn as training draws them (see <see cref="Export"/>).</summary>
    static long[] Drawn(SelfCondOptions options, Checkpoint checkpoint, int classes, int n, Generator noise)
    {
        var counts = Enumerable.Repeat(1f, classes).ToArray();
        if (options.Method == SelfCondMethod.Selfcond && checkpoint.Meta["sample_labels"] is { } labels)
        {
            Array.Clear(counts);
            foreach (var l in labels.AsArray()) counts[(long)l!]++;
        }
        using var weights = tensor(counts);
        using var drawn = multinomial(weights, n, replacement: true, generator: noise);
        return drawn.data<long>().ToArray();
    }
}
