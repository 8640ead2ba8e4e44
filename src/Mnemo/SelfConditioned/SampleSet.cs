using Mnemo.Data;
using static TorchSharp.torch;

namespace Mnemo.SelfConditioned;

/// <summary>Training data for the Self-Conditioned GAN: 2-D points or images, with their true labels (modes or
/// classes), which only the supervised baseline and the evaluation see.</summary>
public sealed class SampleSet : IDisposable
{
    readonly Tensor? _points;
    readonly IImageBatches? _images;

    public long[] Labels { get; }
    public int TrueClasses { get; }

    public SampleSet(Tensor points, long[] modes, int trueClasses)
    {
        _points = points;
        Labels = modes;
        TrueClasses = trueClasses;
    }

    /// <param name="images">Stored or composed images; the set takes them over and disposes them.</param>
    public SampleSet(IImageBatches images)
    {
        _images = images;
        Labels = images.Labels;
        TrueClasses = images.ClassCount;
    }

    public int Count => Labels.Length;
    public bool IsImages => _images is not null;
    public IImageBatches? Images => _images;

    /// <summary>Samples at the given indices as the model's float input.</summary>
    public Tensor Batch(Tensor indices) => _points is not null ? _points.index_select(0, indices) : _images!.Batch(indices);

    public Tensor TrueLabels(Tensor indices)
    {
        var idx = indices.data<long>().ToArray();
        return tensor(idx.Select(i => Labels[i]).ToArray());
    }

    public void Dispose()
    {
        _points?.Dispose();
        _images?.Dispose();
    }
}
