using static TorchSharp.torch;

namespace Mnemo.Data;

/// <summary>
/// Stacked-MNIST: three MNIST digits as the R, G, B channels, 1000 modes, label y1*100 + y2*10 + y3.
/// 100,000 fixed random triplets of the train set (indices drawn with replacement, as the Self-Conditioned GAN
/// code does) and 10,000 of the test set; the seed fixes them.
/// </summary>
public static class StackedMnist
{
    public const int TrainCount = 100_000;
    public const int TestCount = 10_000;
    public static readonly string[] ClassNames = Enumerable.Range(0, 1000).Select(i => i.ToString("D3")).ToArray();

    /// <summary>Both splits as stored images (3×H×W uint8 each, 337 MB at 32×32): for tools that need an
    /// <see cref="ImageDataset"/>. Training reads <see cref="Triplets(DatasetSplit, int, int, int)"/> instead.</summary>
    public static DatasetSplit Build(DatasetSplit mnist, int seed, int trainCount = TrainCount, int testCount = TestCount)
    {
        using (mnist)
            return new DatasetSplit(Stack(mnist.Train, trainCount, seed), Stack(mnist.Test, testCount, seed + 1));
    }

    /// <summary>The same images as <see cref="Build"/> (same seed, same triplets) as index triplets, composed per batch.
    /// Takes over (and disposes) the MNIST split.</summary>
    public static (StackedMnistSet Train, StackedMnistSet Test) Triplets(DatasetSplit mnist, int seed, int trainCount = TrainCount, int testCount = TestCount) =>
        (new StackedMnistSet(mnist.Train, Indices(mnist.Train.Count, trainCount, seed)),
         new StackedMnistSet(mnist.Test, Indices(mnist.Test.Count, testCount, seed + 1)));

    /// <summary><paramref name="count"/> stored images of random digit triplets; <paramref name="digits"/> stays the caller's.</summary>
    public static ImageDataset Stack(ImageDataset digits, int count, int seed)
    {
        var triplets = Indices(digits.Count, count, seed);
        var labels = new long[count];
        for (int i = 0; i < count; i++)
            labels[i] = digits.Labels[triplets[0][i]] * 100 + digits.Labels[triplets[1][i]] * 10 + digits.Labels[triplets[2][i]];
        return new ImageDataset("stacked-mnist", Compose(digits, triplets, Enumerable.Range(0, count).Select(i => (long)i).ToArray()), labels, ClassNames);
    }

    /// <summary>Three arrays (channel 0, 1, 2) of <paramref name="count"/> digit indices drawn with replacement.</summary>
    public static long[][] Indices(int digits, int count, int seed)
    {
        var rng = new Random(seed);
        var idx = new long[3][];
        for (int ch = 0; ch < 3; ch++)
        {
            idx[ch] = new long[count];
            for (int i = 0; i < count; i++) idx[ch][i] = rng.Next(digits);
        }
        return idx;
    }

    /// <summary>uint8 pixels (rows.Length×3×H×W) of the given rows of the triplets.</summary>
    internal static Tensor Compose(ImageDataset digits, long[][] triplets, long[] rows)
    {
        using var scope = NewDisposeScope();
        var channels = new Tensor[3];
        for (int c = 0; c < 3; c++)
        {
            var idx = new long[rows.Length];
            for (int i = 0; i < rows.Length; i++) idx[i] = triplets[c][rows[i]];
            channels[c] = digits.Pixels.index_select(0, tensor(idx, device: digits.Pixels.device));
        }
        return cat(channels, 1).MoveToOuterDisposeScope();
    }
}
