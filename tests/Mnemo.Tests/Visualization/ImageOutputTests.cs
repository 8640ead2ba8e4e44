using Mnemo.Visualization;
using SkiaSharp;
using static TorchSharp.torch;

namespace Mnemo.Tests.Visualization;

public class ImageOutputTests
{
    [Fact]
    public void GridPlacesImagesInRowsAndColumns()
    {
        using var dir = new TempDir();
        using var images = full(6, 1, 4, 4, -1f);
        images[4].fill_(1f); // row 1, column 1 (3 columns)
        ImageGrid.SavePng(images, 3, dir.File("g.png"), new[] { "a", "b" });
        using var bitmap = SKBitmap.Decode(dir.File("g.png"));
        using var plain = ImageGrid.Render(images, 3, padding: 2);
        Assert.Equal(3 * 6 + 2, plain.Width);
        Assert.Equal(2 * 6 + 2, plain.Height);
        Assert.Equal(255, plain.GetPixel(2 + 6 + 1, 2 + 6 + 1).Red);
        Assert.Equal(0, plain.GetPixel(2 + 1, 2 + 1).Red);
        Assert.True(bitmap.Width > plain.Width); // the labels take room
    }

    [Fact]
    public void GifRoundTripsThroughADecoder()
    {
        using var dir = new TempDir();
        var frames = new List<SKBitmap>();
        for (int f = 0; f < 3; f++)
        {
            var b = new SKBitmap(37, 23);
            for (int y = 0; y < 23; y++)
                for (int x = 0; x < 37; x++)
                {
                    byte v = (byte)((x * 7 + y * 13 + f * 50) % 256);
                    b.SetPixel(x, y, new SKColor(v, v, v));
                }
            frames.Add(b);
        }
        GifWriter.Save(frames, dir.File("a.gif"));
        using var codec = SKCodec.Create(dir.File("a.gif"));
        Assert.Equal(3, codec.FrameCount);
        using var decoded = SKBitmap.Decode(dir.File("a.gif"));
        for (int y = 0; y < 23; y++)
            for (int x = 0; x < 37; x++)
                Assert.Equal(frames[0].GetPixel(x, y).Red, decoded.GetPixel(x, y).Red);
        foreach (var f in frames) f.Dispose();
    }

    [Fact]
    public void LargeColourGifDecodes()
    {
        using var dir = new TempDir();
        var rng = new Random(1);
        using var b = new SKBitmap(300, 200);
        for (int y = 0; y < 200; y++)
            for (int x = 0; x < 300; x++) b.SetPixel(x, y, new SKColor((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256)));
        GifWriter.Save(new[] { b, b }, dir.File("c.gif"));
        using var decoded = SKBitmap.Decode(dir.File("c.gif"));
        Assert.Equal(300, decoded.Width);
        var c = b.GetPixel(123, 45);
        var d = decoded.GetPixel(123, 45);
        Assert.True(Math.Abs(c.Red - d.Red) <= 19 && Math.Abs(c.Blue - d.Blue) <= 43);
    }

    [Fact]
    public void PlotsWritePngFiles()
    {
        using var dir = new TempDir();
        Plots.Lines(dir.File("l.png"), "t", "x", "y", new[] { ("a", new double[] { 1, 2, 3 }, new double[] { 3, 1, 2 }) });
        Plots.Heatmap(dir.File("h.png"), "t", new double[,] { { 0.5, double.NaN }, { 1, 0 } }, new[] { "r1", "r2" }, new[] { "c1", "c2" }, "x", "y");
        Plots.Bars(dir.File("b.png"), "t", new[] { "a", "b" }, new[] { 0.3, 0.9 }, "x", "y");
        Plots.Scatter(dir.File("s.png"), "t", new[] { ("p", new double[] { 0, 1 }, new double[] { 1, 0 }) }, "x", "y");
        foreach (var f in new[] { "l", "h", "b", "s" })
        {
            using var bitmap = SKBitmap.Decode(dir.File($"{f}.png"));
            Assert.True(bitmap.Width > 100);
        }
    }

    [Fact]
    public void AFigureIsAtLeastAsWideAsItsTitle()
    {
        using var dir = new TempDir();
        const string title = "MeRGAN-RA (replay alignment): accuracy on generated images of every class";
        Plots.Heatmap(dir.File("h.png"), title, new double[,] { { 0.5, 0.7, 0.9 } }, new[] { "after 1" }, new[] { "0", "1", "2" }, "class", "after task");
        using var bitmap = SKBitmap.Decode(dir.File("h.png"));
        // The cells alone would give 120 + 55 · 3 = 285 pixels.
        Assert.True(bitmap.Width >= 500, $"width {bitmap.Width}");
    }
}
