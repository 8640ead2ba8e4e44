using Mnemo.Data;
using Mnemo.Data.Readers;

namespace Mnemo.Tests.Data;

public class IdxReaderTests
{
    [Fact]
    public void RoundTripsImagesAndLabels()
    {
        using var dir = new TempDir();
        var pixels = Enumerable.Range(0, 3 * 4 * 5).Select(i => (byte)i).ToArray();
        IdxReader.WriteImages(dir.File("img"), pixels, 3, 4, 5);
        IdxReader.WriteLabels(dir.File("lab"), new byte[] { 7, 0, 9 });
        var (read, n, rows, cols) = IdxReader.ReadImages(dir.File("img"));
        Assert.Equal((3, 4, 5), (n, rows, cols));
        Assert.Equal(pixels, read);
        Assert.Equal(new byte[] { 7, 0, 9 }, IdxReader.ReadLabels(dir.File("lab")));
    }

    [Fact]
    public void TruncatedFileGivesErrorNamingTheFile()
    {
        using var dir = new TempDir();
        IdxReader.WriteImages(dir.File("img"), new byte[2 * 28 * 28], 2, 28, 28);
        var bytes = File.ReadAllBytes(dir.File("img"));
        File.WriteAllBytes(dir.File("img"), bytes[..^10]);
        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(dir.File("img")));
        Assert.Contains(dir.File("img"), e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void WrongMagicIsRejected()
    {
        using var dir = new TempDir();
        IdxReader.WriteLabels(dir.File("lab"), new byte[] { 1, 2 });
        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(dir.File("lab")));
        Assert.Contains("magic", e.Message);
        Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(dir.File("missing")));
    }

    [Fact]
    public void MnistFolderLoadsAndPadsTo32()
    {
        using var dir = new TempDir();
        foreach (var prefix in new[] { "train", "t10k" })
        {
            IdxReader.WriteImages(dir.File($"{prefix}-images-idx3-ubyte"), Enumerable.Repeat((byte)255, 4 * 28 * 28).ToArray(), 4, 28, 28);
            IdxReader.WriteLabels(dir.File($"{prefix}-labels-idx1-ubyte"), new byte[] { 0, 1, 2, 3 });
        }
        using var split = DatasetCatalog.Resize(DatasetCatalog.LoadMnist(dir.Path), 32);
        Assert.Equal(new long[] { 4, 1, 32, 32 }, split.Train.Pixels.shape);
        using var batch = split.Train.Batch(TorchSharp.torch.tensor(new long[] { 0 }));
        Assert.Equal(-1f, batch[0, 0, 0, 0].item<float>()); // padding is black
        Assert.Equal(1f, batch[0, 0, 16, 16].item<float>());  // the digit keeps its place
    }

    [Fact]
    public void LabelOutOfRangeIsRejected()
    {
        using var dir = new TempDir();
        foreach (var prefix in new[] { "train", "t10k" })
        {
            IdxReader.WriteImages(dir.File($"{prefix}-images-idx3-ubyte"), new byte[2 * 28 * 28], 2, 28, 28);
            IdxReader.WriteLabels(dir.File($"{prefix}-labels-idx1-ubyte"), new byte[] { 0, 12 });
        }
        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.LoadMnist(dir.Path));
        Assert.Contains("outside 0..9", e.Message);
    }
}
