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

    public static DatasetSplit Build(DatasetSplit mnist, int seed, int trainCount = TrainCount, int testCount = TestCount)
    {
        using (mnist)
            return new DatasetSplit(Stack(mnist.Train, trainCount, seed), Stack(mnist.Test, testCount, seed + 1));
    }

    public static ImageDataset Stack(ImageDataset digits, int count, int seed)
    {
        var rng = new Random(seed);
        var idx = new long[3][];
        for (int ch = 0; ch < 3; ch++)
        {
            idx[ch] = new long[count];
            for (int i = 0; i < count; i++) idx[ch][i] = rng.Next(digits.Count);
        }
        using var scope = NewDisposeScope();
        var channels = idx.Select(ix => digits.Pixels.index_select(0, tensor(ix))).ToArray();
        var pixels = cat(channels, 1).MoveToOuterDisposeScope();
        var labels = new long[count];
        for (int i = 0; i < count; i++)
            labels[i] = digits.Labels[idx[0][i]] * 100 + digits.Labels[idx[1][i]] * 10 + digits.Labels[idx[2][i]];
        return new ImageDataset("stacked-mnist", pixels, labels, ClassNames);
    }
}
