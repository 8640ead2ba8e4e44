using Mnemo.Data;
using static TorchSharp.torch;

namespace Mnemo.Tests.Data;

public class StackedMnistSetTests
{
    // Digit d: a 2×2 image of value 10·d + (index / 10), so every MNIST index is recognisable in every channel.
    static ImageDataset Digits(int count)
    {
        var values = Enumerable.Range(0, count).SelectMany(i => Enumerable.Repeat((byte)(10 * (i % 10) + i / 10), 4)).ToArray();
        return new ImageDataset("d", tensor(values).reshape(count, 1, 2, 2), Enumerable.Range(0, count).Select(i => (long)(i % 10)).ToArray(), DatasetCatalog.DigitNames);
    }

    [Fact]
    public void TripletsComposeTheImagesAndLabelsOfTheStoredSet()
    {
        using var storedTrain = StackedMnist.Stack(Digits(30), 200, seed: 5);
        using var storedTest = StackedMnist.Stack(Digits(20), 40, seed: 6);
        var (train, test) = StackedMnist.Triplets(new DatasetSplit(Digits(30), Digits(20)), seed: 5, trainCount: 200, testCount: 40);
        using (train)
        using (test)
        {
            foreach (var (stored, composed) in new[] { (storedTrain, train), (storedTest, test) })
            {
                Assert.Equal(stored.Labels, composed.Labels);
                using var all = arange(composed.Count, dtype: ScalarType.Int64);
                using var a = stored.Batch(all);
                using var b = composed.Batch(all);
                Assert.Equal(new long[] { composed.Count, 3, 2, 2 }, b.shape);
                Assert.True(a.equal(b).all().item<bool>(), "composed images differ from the stored ones");
            }
            using var some = tensor(new long[] { 7, 7, 199, 0 });
            using var picked = train.Batch(some);
            using var pickedStored = storedTrain.Batch(some);
            Assert.True(picked.equal(pickedStored).all().item<bool>());
            using var outside = tensor(new long[] { 200 });
            Assert.ThrowsAny<Exception>(() => train.Batch(outside));
        }
    }

    [Fact]
    public void ChannelsHoldTheTripletsDigitsAndTheLabelIsTheirNumber()
    {
        using var set = new StackedMnistSet(Digits(30), [[3, 14], [25, 0], [9, 9]]);
        Assert.Equal(new long[] { 359, 409 }, set.Labels); // digits 3,5,9 and 4,0,9
        using var idx = tensor(new long[] { 1 });
        using var image = set.Batch(idx);
        using var bytes = ImageDataset.ToBytes(image);
        Assert.Equal(new byte[] { 41, 0, 90 }, new[] { 0, 1, 2 }.Select(c => bytes[0, c, 0, 0].item<byte>()).ToArray());
        Assert.Throws<ArgumentException>(() => new StackedMnistSet(Digits(5), [[0], [1]]));
    }
}
