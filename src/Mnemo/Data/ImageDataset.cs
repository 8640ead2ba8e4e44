using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Data;

/// <summary>
/// Images held as uint8 pixels (N×C×H×W) with integer labels and class names. Batches come out as float32
/// tensors in [-1, 1], the range every generator in Mnemo produces. Storing bytes keeps 100k-image sets small.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    public string Name { get; }
    public Tensor Pixels { get; }
    public long[] Labels { get; }
    public IReadOnlyList<string> ClassNames { get; }

    public ImageDataset(string name, Tensor pixels, long[] labels, IReadOnlyList<string> classNames)
    {
        if (pixels.dtype != ScalarType.Byte || pixels.dim() != 4)
            throw new ArgumentException($"pixels must be a uint8 N×C×H×W tensor, got {pixels.dtype} with shape [{string.Join(",", pixels.shape)}]");
        if (pixels.shape[0] != labels.Length)
            throw new ArgumentException($"{pixels.shape[0]} images but {labels.Length} labels");
        foreach (var label in labels)
            if (label < 0 || label >= classNames.Count)
                throw new ArgumentException($"label {label} outside 0..{classNames.Count - 1}");
        Name = name;
        Pixels = pixels;
        Labels = labels;
        ClassNames = classNames;
    }

    public int Count => (int)Pixels.shape[0];
    public int Channels => (int)Pixels.shape[1];
    public int Height => (int)Pixels.shape[2];
    public int Width => (int)Pixels.shape[3];
    public int ClassCount => ClassNames.Count;

    /// <summary>Images at the given indices as float32 in [-1, 1].</summary>
    public Tensor Batch(Tensor indices)
    {
        using var scope = NewDisposeScope();
        var bytes = Pixels.index_select(0, indices.to(Pixels.device));
        return ToUnitRange(bytes).MoveToOuterDisposeScope();
    }

    /// <summary>Labels at the given indices as an int64 tensor on the images' device (gathered there: no host
    /// synchronisation).</summary>
    public Tensor LabelBatch(Tensor indices)
    {
        _labels ??= tensor(Labels, device: Pixels.device).DetachFromDisposeScope();
        using var idx = indices.to(Pixels.device);
        return _labels.index_select(0, idx);
    }

    Tensor? _labels;

    /// <summary>The device the images live on.</summary>
    public Device Device => Pixels.device;

    /// <summary>The dataset on <paramref name="device"/> (the uint8 pixels and the labels); batches of it are drawn there.
    /// A new dataset the caller disposes (on the same device it shares the pixels' storage).</summary>
    public ImageDataset To(Device device) => new(Name, Pixels.to(device), Labels, ClassNames);

    public static Tensor ToUnitRange(Tensor bytes) => bytes.to_type(ScalarType.Float32).div_(127.5).sub_(1.0);

    /// <summary>Converts [-1, 1] floats back to uint8 pixels, rounding and clamping.</summary>
    public static Tensor ToBytes(Tensor images) =>
        images.add(1.0).mul_(127.5).round_().clamp_(0, 255).to_type(ScalarType.Byte);

    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (var label in Labels) counts[label]++;
        return counts;
    }

    /// <summary>The images whose label is one of <paramref name="classes"/>, labels unchanged.</summary>
    public ImageDataset WhereClass(IReadOnlyCollection<int> classes)
    {
        var keep = new List<long>();
        for (long i = 0; i < Labels.Length; i++)
            if (classes.Contains((int)Labels[i])) keep.Add(i);
        return Subset(keep.ToArray(), $"{Name}[{string.Join("+", classes)}]");
    }

    public ImageDataset Subset(long[] indices, string? name = null)
    {
        using var idx = tensor(indices, device: Pixels.device);
        var labels = indices.Select(i => Labels[i]).ToArray();
        return new ImageDataset(name ?? Name, Pixels.index_select(0, idx), labels, ClassNames);
    }

    public void Dispose()
    {
        Pixels.Dispose();
        _labels?.Dispose();
    }
}
