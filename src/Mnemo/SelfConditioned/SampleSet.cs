using Mnemo.Data;
using static TorchSharp.torch;

namespace Mnemo.SelfConditioned;

/// <summary>Training data for the Self-Conditioned GAN: 2-D points or images, with their true labels (modes or
/// classes), which only the supervised baseline and the evaluation see.</summary>
public sealed class SampleSet : IDisposable
{
    readonly Tensor? _points;
    readonly ImageDataset? _images;

    public long[] Labels { get; }
    public int TrueClasses { get; }

    public SampleSet(Tensor points, long[] modes, int trueClasses)
    {
        _points = points;
        Labels = modes;
        TrueClasses = trueClasses;
    }

    public SampleSet(ImageDataset images)
    {
        _images = images;
        Labels = images.Labels;
        TrueClasses = images.ClassCount;
    }

    public int Count => Labels.Length;
    public bool IsImages => _images is not null;
    public ImageDataset? Images => _images;

    /// <summary>The device the samples live on.</summary>
    public Device Device => _points?.device ?? _images!.Device;

    /// <summary>The set on <paramref name="device"/> (a new set the caller disposes; on the same device it shares the
    /// samples' storage).</summary>
    public SampleSet To(Device device) =>
        _points is not null ? new SampleSet(_points.to(device), Labels, TrueClasses) : new SampleSet(_images!.To(device));

    /// <summary>Samples at the given indices (any device) as the model's float input, on the set's device.</summary>
    public Tensor Batch(Tensor indices)
    {
        if (_images is not null) return _images.Batch(indices);
        using var idx = indices.to(_points!.device);
        return _points.index_select(0, idx);
    }

    /// <summary>The true labels (int64) at the given indices, gathered on the set's device.</summary>
    public Tensor TrueLabels(Tensor indices)
    {
        _labels ??= tensor(Labels, device: Device).DetachFromDisposeScope();
        using var idx = indices.to(_labels.device);
        return _labels.index_select(0, idx);
    }

    Tensor? _labels;

    public void Dispose()
    {
        _points?.Dispose();
        _images?.Dispose();
        _labels?.Dispose();
    }
}
