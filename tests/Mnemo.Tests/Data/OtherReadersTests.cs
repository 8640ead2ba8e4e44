using Mnemo.Data;
using Mnemo.Data.Readers;
using SkiaSharp;

namespace Mnemo.Tests.Data;

public class OtherReadersTests
{
    [Fact]
    public void FashionJsonSplitsLastThousandPerClassIntoTest()
    {
        using var dir = new TempDir();
        for (int c = 0; c < 10; c++)
        {
            var rows = Enumerable.Range(0, 1003).Select(i => "[" + string.Join(",", Enumerable.Repeat((i + c) % 256, 784)) + "]").ToList();
            if (c == 0) { rows.Insert(2, "[]"); rows.Add("[]"); } // as in the real package's 0.json
            File.WriteAllText(dir.File($"{c}.json"), "{\"data\":[" + string.Join(",", rows) + "]}");
        }
        using var split = DatasetCatalog.LoadFashion(dir.Path);
        Assert.Equal(30, split.Train.Count);
        Assert.Equal(10000, split.Test.Count);
        Assert.All(split.Test.ClassCounts(), n => Assert.Equal(1000, n));
        Assert.Equal("Ankle boot", split.Train.ClassNames[9]);
    }

    [Fact]
    public void FashionJsonErrorsNameTheFile()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("0.json"), "{\"data\":[[1,2,3]]}");
        Assert.Contains("784", Assert.Throws<DataFormatException>(() => FashionMnistJsonReader.ReadClass(dir.File("0.json"))).Message);
        File.WriteAllText(dir.File("1.json"), "{\"data\":[[1,2");
        var e = Assert.Throws<DataFormatException>(() => FashionMnistJsonReader.ReadClass(dir.File("1.json")));
        Assert.Contains("1.json", e.Message);
    }

    static MatArray SvhnX(int n)
    {
        var x = new byte[32 * 32 * 3 * n];
        // Column-major: X[h, w, c, i] at h + 32*(w + 32*(c + 3*i)); encode (h, c, i) in the value.
        for (int i = 0; i < n; i++)
            for (int c = 0; c < 3; c++)
                for (int w = 0; w < 32; w++)
                    for (int h = 0; h < 32; h++)
                        x[h + 32 * (w + 32 * (c + 3 * i))] = (byte)(h + 40 * c + 7 * i);
        return new MatArray("X", new[] { 32, 32, 3, n }, MatArray.MiUInt8, x);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SvhnMatReadsColumnMajorAndMapsTenToZero(bool compressed)
    {
        using var dir = new TempDir();
        var y = new double[] { 10, 3 }.SelectMany(BitConverter.GetBytes).ToArray();
        MatV5Writer.Write(dir.File("train.mat"), new[] { SvhnX(2), new MatArray("y", new[] { 2, 1 }, MatArray.MiDouble, y) }, compressed);
        var (pixels, labels) = SvhnReader.Read(dir.File("train.mat"));
        Assert.Equal(new byte[] { 0, 3 }, labels);
        // pixel (i=1, c=2, h=5, w=9) in N×C×H×W order
        Assert.Equal((byte)(5 + 80 + 7), pixels[1 * 3072 + 2 * 1024 + 5 * 32 + 9]);
    }

    [Fact]
    public void SvhnMalformedFilesGiveClearErrors()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("bad.mat"), new byte[200]);
        Assert.Contains("MAT-file", Assert.Throws<DataFormatException>(() => SvhnReader.Read(dir.File("bad.mat"))).Message);
        var y = BitConverter.GetBytes(1.0);
        MatV5Writer.Write(dir.File("good.mat"), new[] { SvhnX(1), new MatArray("y", new[] { 1, 1 }, MatArray.MiDouble, y) }, compress: false);
        var bytes = File.ReadAllBytes(dir.File("good.mat"));
        File.WriteAllBytes(dir.File("short.mat"), bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<DataFormatException>(() => SvhnReader.Read(dir.File("short.mat")));
        Assert.Contains("short.mat", e.Message);
        MatV5Writer.Write(dir.File("shape.mat"), new[] { new MatArray("X", new[] { 28, 28, 1, 1 }, MatArray.MiUInt8, new byte[784]), new MatArray("y", new[] { 1, 1 }, MatArray.MiDouble, y) }, false);
        Assert.Contains("32x32x3xN", Assert.Throws<DataFormatException>(() => SvhnReader.Read(dir.File("shape.mat"))).Message);
    }

    [Fact]
    public void CifarBinaryBatchesRead()
    {
        using var dir = new TempDir();
        var record = new byte[Cifar10BinaryReader.RecordSize];
        record[0] = 7; record[1] = 200; record[1 + 1024] = 100;
        File.WriteAllBytes(dir.File("b.bin"), record.Concat(record).ToArray());
        var (pixels, labels) = Cifar10BinaryReader.ReadBatch(dir.File("b.bin"));
        Assert.Equal(new byte[] { 7, 7 }, labels);
        Assert.Equal(200, pixels[0]);
        Assert.Equal(100, pixels[1024]);
        File.WriteAllBytes(dir.File("t.bin"), record.Concat(record[..100]).ToArray());
        Assert.Contains("multiple", Assert.Throws<DataFormatException>(() => Cifar10BinaryReader.ReadBatch(dir.File("t.bin"))).Message);
        record[0] = 11;
        File.WriteAllBytes(dir.File("l.bin"), record);
        Assert.Contains("label 11", Assert.Throws<DataFormatException>(() => Cifar10BinaryReader.ReadBatch(dir.File("l.bin"))).Message);
    }

    [Fact]
    public void ImageFolderReadsClassesAndResizes()
    {
        using var dir = new TempDir();
        foreach (var (cls, color) in new[] { ("bedroom", SKColors.Red), ("kitchen", SKColors.Blue) })
        {
            Directory.CreateDirectory(dir.File(cls));
            using var bitmap = new SKBitmap(48, 40);
            bitmap.Erase(color);
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(dir.File(cls), "a.png"), data.ToArray());
            using var jpg = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
            File.WriteAllBytes(Path.Combine(dir.File(cls), "b.jpg"), jpg.ToArray());
        }
        var (pixels, labels, names) = ImageFolderReader.Read(dir.Path, 16, 3);
        Assert.Equal(new[] { "bedroom", "kitchen" }, names);
        Assert.Equal(new byte[] { 0, 0, 1, 1 }, labels);
        Assert.Equal(4 * 3 * 16 * 16, pixels.Length);
        Assert.True(pixels[0] > 240 && pixels[2 * 256] < 15); // red: R plane high, B plane low
        File.WriteAllText(Path.Combine(dir.File("kitchen"), "c.png"), "not an image");
        Assert.Contains("c.png", Assert.Throws<DataFormatException>(() => ImageFolderReader.Read(dir.Path, 16, 3)).Message);
    }

    [Fact]
    public void StackedMnistStacksThreeDigitsPerImage()
    {
        var pixels = TorchSharp.torch.arange(10, dtype: TorchSharp.torch.ScalarType.Byte).view(10, 1, 1, 1).expand(10, 1, 2, 2).contiguous();
        using var digits = new ImageDataset("d", pixels, Enumerable.Range(0, 10).Select(i => (long)i).ToArray(), DatasetCatalog.DigitNames);
        using var stacked = StackedMnist.Stack(digits, 50, seed: 3);
        Assert.Equal(new long[] { 50, 3, 2, 2 }, stacked.Pixels.shape);
        for (int i = 0; i < 50; i++)
        {
            long expected = stacked.Pixels[i, 0, 0, 0].item<byte>() * 100 + stacked.Pixels[i, 1, 0, 0].item<byte>() * 10 + stacked.Pixels[i, 2, 0, 0].item<byte>();
            Assert.Equal(expected, stacked.Labels[i]);
        }
        Assert.Equal(1000, stacked.ClassCount);
    }
}
