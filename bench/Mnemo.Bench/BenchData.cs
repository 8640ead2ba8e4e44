using Mnemo.Data;
using static TorchSharp.torch;

namespace Mnemo.Bench;

/// <summary>Data shaped like 32×32 MNIST (2,000 random images, classes 0–9 in turn): timings depend on shapes only.</summary>
public static class BenchData
{
    public static ImageDataset RandomDigits(string name)
    {
        using var values = randint(0, 256, new long[] { 2000, 1, 32, 32 });
        var labels = Enumerable.Range(0, 2000).Select(i => (long)(i % 10)).ToArray();
        return new ImageDataset(name, values.to_type(ScalarType.Byte), labels, DatasetCatalog.DigitNames);
    }
}
