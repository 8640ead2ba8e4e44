using static TorchSharp.torch;

namespace Mnemo.Data;

/// <summary>Labelled images a trainer draws batches from, whether stored (<see cref="ImageDataset"/>) or composed on
/// demand (<see cref="StackedMnistSet"/>).</summary>
public interface IImageBatches : IDisposable
{
    int Count { get; }
    int Channels { get; }
    int Height { get; }
    int Width { get; }
    /// <summary>Class of each image (Count values).</summary>
    long[] Labels { get; }
    int ClassCount { get; }

    /// <summary>Images at the given int64 indices as float32 B×C×H×W in [-1, 1]. Throws for an index outside 0..Count − 1.</summary>
    Tensor Batch(Tensor indices);

    /// <summary>The device the images live on (and batches are made on).</summary>
    Device Device { get; }

    /// <summary>The images on <paramref name="device"/>: a new set the caller disposes.</summary>
    IImageBatches To(Device device);
}
