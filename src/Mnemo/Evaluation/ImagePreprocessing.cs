using Mnemo.Data;
using Mnemo.Data.Readers;
using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>
/// The single path from images of any source (datasets, .npz files, image folders, generated samples) to the
/// input of a feature network, applied by every <see cref="IFeatureExtractor"/> to every batch, so that the same
/// pixels give the same features whatever held them:
/// <list type="number">
/// <item>uint8 pixels map to [-1, 1] as x / 127.5 − 1 (float tensors are taken to be in [-1, 1] already);</item>
/// <item>channels: grey is repeated to RGB; RGB becomes grey by PIL's ITU-R 601-2 luma (exact integer arithmetic
/// on uint8 input, 0.299 R + 0.587 G + 0.114 B on floats);</item>
/// <item>size: <see cref="ImageResampling"/>'s rule (unchanged when it fits, zero-padding 28→32, else bilinear
/// without antialias). A network of size 0 (InceptionV3) takes every size and resizes to 299×299 bilinearly itself,
/// as pytorch-fid's does.</item>
/// </list>
/// </summary>
public static class ImagePreprocessing
{
    /// <summary>Images (uint8 or float32 in [-1, 1], N×C×H×W, C = 1 or 3) as float32 N×channels×size×size in [-1, 1]
    /// (size 0: the input size). Throws <see cref="MnemoException"/> for another channel count.</summary>
    public static Tensor ToNetwork(Tensor images, int channels, int size)
    {
        using var scope = NewDisposeScope();
        var x = images;
        long have = x.shape[1];
        if (have == 3 && channels == 1)
            x = x.dtype == ScalarType.Byte ? ImageFolderReader.Luma(x) : Luma(x);
        else if (have == 1 && channels == 3) x = x.expand(-1, 3, -1, -1);
        else if (have != channels) throw new MnemoException($"cannot convert {have}-channel images to {channels} channels");
        if (x.dtype == ScalarType.Byte) x = ImageDataset.ToUnitRange(x);
        else x = x.to_type(ScalarType.Float32);
        x = ImageResampling.Fit(x, size, padValue: -1);
        return x.contiguous().MoveToOuterDisposeScope();
    }

    static Tensor Luma(Tensor rgb) =>
        rgb.mul(tensor(new float[] { 0.299f, 0.587f, 0.114f }, device: rgb.device).view(1, 3, 1, 1)).sum(1, keepdim: true);
}
