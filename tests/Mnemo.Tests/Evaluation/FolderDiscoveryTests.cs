using Mnemo.Data;
using Mnemo.Data.Readers;
using Mnemo.Evaluation;

namespace Mnemo.Tests.Evaluation;

/// <summary>Issue 18 B: hidden and system entries never become images or classes, non-image files are counted, and a
/// folder mixing loose images with class sub-folders is refused rather than half read.</summary>
public class FolderDiscoveryTests
{
    static void Junk(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, ".ipynb_checkpoints"));
        var digits = TestImages.Digits(3, seed: 2);
        for (int i = 0; i < 3; i++) TestImages.WritePng(Path.Combine(folder, ".ipynb_checkpoints", $"{i}-checkpoint.png"), digits.AsSpan(i * 784, 784), 28, 28, "L");
        Directory.CreateDirectory(Path.Combine(folder, "__MACOSX"));
        TestImages.WritePng(Path.Combine(folder, "__MACOSX", "._0.png"), digits.AsSpan(0, 784), 28, 28, "L");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "notes");
        File.WriteAllBytes(Path.Combine(folder, ".DS_Store"), new byte[] { 0, 0, 0, 1 });
        File.WriteAllBytes(Path.Combine(folder, "Thumbs.db"), new byte[] { 1 });
    }

    [Fact]
    public void HiddenEntriesAreIgnoredAndOtherFilesCounted()
    {
        using var dir = new TempDir();
        var gen = dir.File("gen");
        TestImages.WritePngFolder(gen, TestImages.Digits(20, seed: 1), "L");
        Junk(gen);
        var contents = ImageFolderReader.Scan(gen);
        Assert.Equal(20, contents.LooseImages.Length);
        Assert.Empty(contents.Classes);
        Assert.Equal(1, contents.SkippedFiles); // notes.txt
        Assert.Equal(4, contents.IgnoredEntries); // .ipynb_checkpoints, __MACOSX, .DS_Store, Thumbs.db
        using var images = ImageSource.Load(gen, 32, dir.Path);
        Assert.Equal(20, images.Count);
        Assert.Equal(1, images.SkippedFiles);
    }

    [Fact]
    public void LooseImagesWithClassFoldersAreRefused()
    {
        using var dir = new TempDir();
        var gen = dir.File("gen");
        var digits = TestImages.Digits(6, seed: 1);
        TestImages.WritePngFolder(gen, digits, "L");
        TestImages.WritePngFolder(Path.Combine(gen, "7"), digits, "L");
        var e = Assert.Throws<DataFormatException>(() => ImageSource.Check(gen));
        Assert.Contains("both", e.Message);
        Assert.Contains("class sub-folder", e.Message);
    }

    [Fact]
    public void ClassFoldersKeepNumericNamesAsLabelsAndSkipHiddenOnes()
    {
        using var dir = new TempDir();
        var gen = dir.File("gen");
        var digits = TestImages.Digits(4, seed: 1);
        TestImages.WritePngFolder(Path.Combine(gen, "3"), digits, "L");
        TestImages.WritePngFolder(Path.Combine(gen, "8"), digits, "RGB");
        Junk(gen);
        using var images = ImageSource.Load(gen, 32, dir.Path);
        Assert.Equal(new long[] { 3, 3, 3, 3, 8, 8, 8, 8 }, images.Labels);
        Assert.Equal(1, images.Images.shape[1]); // grey pixels in RGB files are grey

        // The same folder as a `folder:` dataset: two classes, the hidden folders are no class.
        var (_, labels, names) = ImageFolderReader.Read(gen, 16, 3);
        Assert.Equal(new[] { "3", "8" }, names);
        Assert.Equal(8, labels.Length);
    }

    [Fact]
    public void DifferentlySizedImagesAreBroughtToTheNetworkSizeOrRefusedForInception()
    {
        using var dir = new TempDir();
        var gen = dir.File("gen");
        Directory.CreateDirectory(gen);
        TestImages.WritePng(Path.Combine(gen, "a.png"), new byte[28 * 28], 28, 28, "L");
        TestImages.WritePng(Path.Combine(gen, "b.png"), new byte[16 * 16], 16, 16, "L");
        using (var images = ImageSource.Load(gen, 32, dir.Path))
            Assert.Equal(new long[] { 2, 1, 32, 32 }, images.Images.shape);
        var e = Assert.Throws<DataFormatException>(() => ImageSource.Load(gen, 0, dir.Path));
        Assert.Contains("differ in size", e.Message);
        Assert.Contains("b.png", e.Message);
    }

    [Fact]
    public void AFolderDatasetIsReadAtItsOwnSizeForEvaluation()
    {
        using var dir = new TempDir();
        var data = dir.File("set");
        var digits = TestImages.Digits(20, seed: 3);
        TestImages.WritePngFolder(Path.Combine(data, "a"), digits, "L");
        Junk(data);
        using var images = ImageSource.Load($"folder:{data}", 0, dir.Path);
        Assert.Equal(new long[] { 2, 3, 28, 28 }, images.Images.shape); // every 10th image is the test split
        using var tenth = TorchSharp.torch.tensor(digits[(9 * 784)..(10 * 784)]).view(1, 1, 28, 28);
        Assert.True(images.Images.narrow(0, 0, 1).eq(tenth).all().item<bool>()); // unchanged pixels, in all 3 channels
    }
}
