using static TorchSharp.torch;

namespace Mnemo.Data.Readers;

/// <summary>
/// The one rule that brings images to a network's (or a dataset's) square size, shared by datasets, image folders,
/// .npz files and generated samples so that the same pixels always reach a network as the same numbers:
/// <list type="bullet">
/// <item>the size already fits: nothing is done (no resampling, no blur);</item>
/// <item>smaller by an even margin of at most 8 pixels per side pair (28×28 digits for a 32×32 network): zero-pad
/// around the image, keeping the digits' scale, as MeRGAN's data loader does;</item>
/// <item>otherwise: bilinear interpolation to size×size, align_corners = false, no antialiasing — what pytorch-fid's
/// InceptionV3 does inside the network (F.interpolate(x, (299, 299), mode='bilinear', align_corners=False)).
/// clean-fid instead resizes with PIL's antialiased bicubic filter; Mnemo follows pytorch-fid.</item>
/// </list>
/// </summary>
public static class ImageResampling
{
    /// <summary>True when an H×W image reaches size×size by zero padding rather than interpolation.</summary>
    public static bool PadsTo(long height, long width, long size)
    {
        long dh = size - height, dw = size - width;
        return dh >= 0 && dw >= 0 && dh % 2 == 0 && dw % 2 == 0 && dh <= 8 && dw <= 8 && (dh > 0 || dw > 0);
    }

    /// <summary>Brings float images (N×C×H×W) to N×C×size×size by the rule above. <paramref name="padValue"/> is
    /// the value of a black pixel in the images' range (0 for bytes as floats, −1 for [-1, 1]). Returns the input
    /// itself when the size already fits (size ≤ 0: keep any size).</summary>
    public static Tensor Fit(Tensor images, long size, double padValue)
    {
        long h = images.shape[2], w = images.shape[3];
        if (size <= 0 || (h == size && w == size)) return images;
        if (PadsTo(h, w, size))
            return nn.functional.pad(images, new long[] { (size - w) / 2, (size - w) / 2, (size - h) / 2, (size - h) / 2 }, value: padValue);
        return nn.functional.interpolate(images, new long[] { size, size }, mode: InterpolationMode.Bilinear, align_corners: false);
    }

    /// <summary><see cref="Fit"/> for uint8 pixels (N×C×H×W): interpolated values are rounded back to bytes.</summary>
    public static Tensor FitBytes(Tensor pixels, long size)
    {
        if (size <= 0 || (pixels.shape[2] == size && pixels.shape[3] == size)) return pixels.alias();
        using var scope = NewDisposeScope();
        var fitted = Fit(pixels.to_type(ScalarType.Float32), size, 0);
        return fitted.round_().clamp_(0, 255).to_type(ScalarType.Byte).MoveToOuterDisposeScope();
    }
}
