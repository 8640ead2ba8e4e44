using Mnemo.Evaluation;
using Mnemo.Interop;
using Mnemo.Networks;
using Mnemo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.MemoryGan;

/// <summary>Exports images of a MemoryGAN run's newest checkpoint with the memory slot whose key conditioned each:
/// an .npz (<c>images</c> uint8 N×H×W×C, <c>slots</c> int64 N) or PNG folders per slot. The generator runs in
/// evaluation mode and draws as the run's evaluation does (<see cref="MemoryGanSampling.Draw"/>).</summary>
public static class MemoryGanSampleExport
{
    /// <param name="slots">Slots to sample, <paramref name="n"/> each; null: <paramref name="n"/> images in all, slots
    /// drawn ∝ histogram · value as in training. A --no-memory run has no slots: its images get slot −1 (PNG folder
    /// "none") and random unit keys, as it trained.</param>
    /// <exception cref="MnemoException">Not a MemoryGAN run, no checkpoint yet, n &lt; 1, a slot outside the memory, or
    /// slots asked of a --no-memory run.</exception>
    public static WrittenSamples Export(string runDir, IReadOnlyList<int>? slots, int n, string output, int seed, IProgressReporter progress)
    {
        if (n < 1) throw new MnemoException("--n must be at least 1");
        var (run, settings) = RunFolder.Open(runDir);
        var o = MemoryGanOptions.FromJson(settings);
        var checkpoint = new CheckpointStore(run.CheckpointsDir).LoadLatest(MemoryGanSystem.Kind, RunSettings.Fingerprint(o))
                         ?? throw new MnemoException($"{runDir} has no checkpoint yet; train first.");
        bool noMemory = o.Method == MemoryGanMethod.NoMemory;
        if (noMemory && slots is not null) throw new MnemoException("a --no-memory run has no memory slots to choose; leave out --classes");
        foreach (var s in slots ?? [])
            if (s < 0 || s >= o.MemorySize) throw new MnemoException($"slot {s} is outside 0..{o.MemorySize - 1} of this run's memory");
        // ConvTranspose weights are in × out × k × k: the last layer's out is the image channels.
        using var generator = new MemoryGenerator(o.ZDim, o.KeyDim, (int)CheckpointShapes.Of(checkpoint, "generator", "up.up2.weight")[1]);
        checkpoint.LoadModule("generator", generator);
        generator.eval();
        using var memory = DiscriminativeMemory.For(o);
        if (!noMemory) memory.Restore(checkpoint.LoadTensor("keys"), checkpoint.LoadTensor("values"), checkpoint.LoadTensor("ages"), checkpoint.LoadTensor("histogram"));
        using var noise = new Generator((ulong)seed);
        var asked = slots?.SelectMany(s => Enumerable.Repeat((long)s, n)).ToArray();
        int total = asked?.Length ?? n;
        progress.Start("sampling", total);
        using var samples = MemoryGanSampling.Draw(generator, noMemory ? null : memory, total, o.ZDim, o.KeyDim, noise, asked);
        progress.Report(total);
        return GeneratedSampleFile.Write(output, samples, "slots");
    }
}
