using Mnemo.Data;
using Mnemo.Data.Readers;
using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>
/// Images to evaluate, from a dataset name (its test split), a `mnemo sample` .npz (images uint8 N×H×W×C), or a
/// folder of PNG/JPEG images (class sub-folders, as `mnemo sample --out DIR` writes). Returned as float32
/// N×C×H×W in [-1, 1], converted to the channels and size the feature network needs (size 0: keep the size;
/// datasets then load at 32×32).
/// </summary>
public static class ImageSource
{
    /// <summary>Fails fast on a spec that cannot be loaded (missing or corrupt .npz, unknown dataset name), before any
    /// feature network is built or trained.</summary>
    public static void Check(string spec)
    {
        if (spec.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
        {
            if (!Npz.Read(spec).ContainsKey("images")) throw new DataFormatException(spec, "has no 'images' array");
        }
        else if (spec.StartsWith("folder:", StringComparison.Ordinal))
        {
            if (!Directory.Exists(spec["folder:".Length..])) throw new MnemoException($"{spec}: folder not found");
        }
        else if (!Directory.Exists(spec))
        {
            try { DatasetCatalog.KnownClassCount(spec); }
            catch (MnemoException)
            {
                throw new MnemoException($"{spec}: not found; give an .npz file, an image folder or a dataset name ({string.Join(", ", DatasetCatalog.Names)})");
            }
        }
    }

    public static (Tensor Images, long[] Labels) Load(string spec, int channels, int size, string dataRoot)
    {
        if (spec.EndsWith(".npz", StringComparison.OrdinalIgnoreCase)) return FromNpz(spec, channels, size);
        if (Directory.Exists(spec)) return FromFolder(spec, channels, size);
        using var split = DatasetCatalog.Load(spec, dataRoot, size > 0 ? size : 32);
        using var all = arange(split.Test.Count, dtype: ScalarType.Int64);
        return (Adapt(split.Test.Batch(all), channels, size), split.Test.Labels);
    }

    static (Tensor, long[]) FromNpz(string path, int channels, int size)
    {
        var arrays = Npz.Read(path);
        if (!arrays.TryGetValue("images", out var images)) throw new DataFormatException(path, "has no 'images' array");
        if (images.Descr != "|u1" || images.Shape.Length != 4)
            throw new DataFormatException(path, $"'images' must be uint8 N×H×W×C, got {images.Descr} with shape ({string.Join(", ", images.Shape)})");
        using var nhwc = tensor(images.Data).reshape(images.Shape);
        using var nchw = nhwc.permute(0, 3, 1, 2).contiguous();
        var labels = arrays.TryGetValue("labels", out var l) ? l.ToInt64() : new long[images.Shape[0]];
        return (Adapt(ImageDataset.ToUnitRange(nchw), channels, size), labels);
    }

    static (Tensor, long[]) FromFolder(string path, int channels, int size)
    {
        if (size <= 0) size = 64; // folders of differently sized images need one size; the network resizes anyway
        if (Directory.GetDirectories(path).Length == 0)
        {
            // A flat folder of images: one unnamed class.
            var files = Directory.GetFiles(path).Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal).ToArray();
            if (files.Length == 0) throw new DataFormatException(path, "holds no PNG/JPEG images");
            var bytes = files.SelectMany(f => ImageFolderReader.Load(f, size, channels)).ToArray();
            using var t = tensor(bytes).reshape(files.Length, channels, size, size);
            return (ImageDataset.ToUnitRange(t), new long[files.Length]);
        }
        var (pixels, labels, names) = ImageFolderReader.Read(path, size, channels);
        using var p = tensor(pixels).reshape(labels.Length, channels, size, size);
        // Sub-folders named by class number keep that number as the label.
        var numeric = names.All(n => int.TryParse(n, out _));
        return (ImageDataset.ToUnitRange(p), labels.Select(l => numeric ? long.Parse(names[l]) : l).ToArray());
    }

    /// <summary>Converts between grey and RGB (mean / repeat) and resizes bilinearly.</summary>
    public static Tensor Adapt(Tensor images, int channels, int size)
    {
        using var scope = NewDisposeScope();
        var x = images;
        if (x.shape[1] == 3 && channels == 1) x = x.mean(new long[] { 1 }, keepdim: true);
        else if (x.shape[1] == 1 && channels == 3) x = x.repeat(1, 3, 1, 1);
        else if (x.shape[1] != channels) throw new MnemoException($"cannot convert {x.shape[1]}-channel images to {channels} channels");
        if (size > 0 && (x.shape[2] != size || x.shape[3] != size))
            x = nn.functional.interpolate(x, new long[] { size, size }, mode: InterpolationMode.Bilinear, align_corners: false);
        return x.MoveToOuterDisposeScope();
    }
}
