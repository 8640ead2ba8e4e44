using static TorchSharp.torch;

namespace Mnemo.Data;

/// <summary>
/// Stacked-MNIST as index triplets into one MNIST split: image i is digits[Triplets[c][i]] in channel c, built when a
/// batch asks for it. 100,000 triplets hold 2.4 MB where the stored images held 307 MB (and twice that while stacking).
/// </summary>
public sealed class StackedMnistSet : IImageBatches
{
    readonly ImageDataset _digits;
    readonly long[][] _triplets;

    /// <param name="digits">Single-channel MNIST images (N×1×H×W uint8); the set takes it over and disposes it.</param>
    /// <param name="triplets">Three index arrays of equal length (one per channel), each index in 0..digits.Count − 1.</param>
    /// <exception cref="ArgumentException">Digits with more than one channel, not three arrays, or arrays of different lengths.</exception>
    public StackedMnistSet(ImageDataset digits, long[][] triplets)
    {
        if (digits.Channels != 1) throw new ArgumentException($"Stacked-MNIST needs single-channel digits, got {digits.Channels} channels");
        if (triplets.Length != 3 || triplets.Any(t => t.Length != triplets[0].Length))
            throw new ArgumentException("Stacked-MNIST needs three index arrays of equal length");
        _digits = digits;
        _triplets = triplets;
        Labels = new long[triplets[0].Length];
        for (int i = 0; i < Labels.Length; i++)
            Labels[i] = digits.Labels[triplets[0][i]] * 100 + digits.Labels[triplets[1][i]] * 10 + digits.Labels[triplets[2][i]];
    }

    /// <summary>The MNIST index of each image's channel c (c = 0, 1, 2).</summary>
    public IReadOnlyList<long> Triplet(int channel) => _triplets[channel];

    public int Count => Labels.Length;
    public int Channels => 3;
    public int Height => _digits.Height;
    public int Width => _digits.Width;
    public long[] Labels { get; }
    public int ClassCount => StackedMnist.ClassNames.Length;

    public Tensor Batch(Tensor indices)
    {
        using var scope = NewDisposeScope();
        return ImageDataset.ToUnitRange(Pixels(indices.cpu().data<long>().ToArray())).MoveToOuterDisposeScope();
    }

    public Device Device => _digits.Device;

    /// <summary>The set with its MNIST digits on <paramref name="device"/> (the triplets stay on the host).</summary>
    public IImageBatches To(Device device) => new StackedMnistSet(_digits.To(device), _triplets);

    /// <summary>All images as stored uint8 pixels (N×3×H×W): what the materialised dataset held.</summary>
    public ImageDataset Materialise() =>
        new("stacked-mnist", Pixels(Enumerable.Range(0, Count).Select(i => (long)i).ToArray()), Labels, StackedMnist.ClassNames);

    Tensor Pixels(long[] rows) => StackedMnist.Compose(_digits, _triplets, rows);

    public void Dispose() => _digits.Dispose();
}
