using Mnemo.Evaluation;
using Mnemo.Networks;
using static TorchSharp.torch;

namespace Mnemo.MemoryGan;

/// <summary>Images of a MemoryGAN generator with the memory slot whose key conditioned each: what the run's evaluation
/// scores and what <c>mnemo sample</c> exports (the same draws for the same noise generator).</summary>
public static class MemoryGanSampling
{
    /// <summary>Draws <paramref name="n"/> images in chunks of 500; per chunk first the slots (∝ h·v, see
    /// <see cref="DiscriminativeMemory.SampleRealSlots"/>) or, without memory, random unit keys, then z uniform in [-1, 1].</summary>
    /// <param name="memory">Null for a --no-memory run: its keys are random unit vectors of <paramref name="keyDim"/> and
    /// its conditions −1.</param>
    /// <param name="slots">When given, the slot of each of the n images (n values); else drawn.</param>
    /// <returns>N×C×H×W images in [-1, 1] with the slot of each as its condition. The generator's mode (train/eval)
    /// is the caller's.</returns>
    /// <exception cref="MnemoException">Slots given without a memory, or not n of them.</exception>
    public static GeneratedSamples Draw(MemoryGenerator generator, DiscriminativeMemory? memory, int n, int zDim, int keyDim,
        TorchSharp.torch.Generator noise, IReadOnlyList<long>? slots = null)
    {
        if (slots is not null && (memory is null || slots.Count != n))
            throw new MnemoException(memory is null ? "a run without memory has no slots to choose" : $"{slots.Count} slots for {n} images");
        var conditions = new List<long>(n);
        var values = ChunkedSampling.Draw(n, 500, size =>
        {
            using var scope = NewDisposeScope();
            Tensor keys;
            if (memory is null)
            {
                keys = nn.functional.normalize(randn(size, keyDim, generator: noise), p: 2, dim: 1);
                conditions.AddRange(Enumerable.Repeat(-1L, size));
            }
            else
            {
                var chosen = slots is null ? memory.SampleRealSlots(size, noise) : tensor(slots.Skip(conditions.Count).Take(size).ToArray());
                conditions.AddRange(chosen.data<long>().ToArray());
                keys = memory.Keys.index_select(0, chosen);
            }
            var z = rand(size, zDim, generator: noise).mul(2).sub(1);
            return generator.forward(z, keys).MoveToOuterDisposeScope();
        });
        return new GeneratedSamples(values, conditions);
    }
}
