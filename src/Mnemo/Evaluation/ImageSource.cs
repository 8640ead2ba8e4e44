using Mnemo.Data;
using Mnemo.Data.Readers;
using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>Images loaded for evaluation, at their own size and channel count.</summary>
/// <param name="Images">uint8 N×C×H×W pixels as stored (C = 1 or 3); float32 in [-1, 1] only for a folder of
/// differently sized images, each already brought to the network's size.</param>
/// <param name="Labels">Class of each image (0 when the source has none).</param>
/// <param name="SkippedFiles">Non-image files and image-less sub-folders of a folder that were left out.</param>
public sealed record EvalImages(Tensor Images, long[] Labels, int SkippedFiles) : IDisposable
{
    public long Count => Images.shape[0];
    public void Dispose() => Images.Dispose();
}

/// <summary>
/// Images to evaluate, from a dataset name (its test split), a `mnemo sample` .npz (images uint8 N×H×W×C) or a
/// folder of PNG/JPEG images (flat, or class sub-folders as `mnemo sample --out DIR` writes). Pixels come back as
/// stored: no source resizes or converts, so every source reaches the feature network through the same
/// <see cref="ImagePreprocessing"/> (docs/evaluation.md).
/// </summary>
public static class ImageSource
{
    /// <summary>Fails fast on a spec that cannot be loaded (missing or corrupt .npz, unknown dataset name, a folder
    /// without images or mixing images with class folders), before any feature network is built or trained.</summary>
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
        else if (Directory.Exists(spec))
        {
            ImageFolderReader.Scan(spec);
        }
        else
        {
            try { DatasetCatalog.KnownClassCount(spec); }
            catch (MnemoException)
            {
                throw new MnemoException($"{spec}: not found; give an .npz file, an image folder or a dataset name ({string.Join(", ", DatasetCatalog.Names)})");
            }
        }
    }

    /// <summary>Loads a spec at its own size. <paramref name="networkSize"/> only matters for a folder of differently
    /// sized images, which is brought to that size image by image (0, InceptionV3: refused, see docs/evaluation.md).</summary>
    public static EvalImages Load(string spec, int networkSize, string dataRoot)
    {
        if (spec.EndsWith(".npz", StringComparison.OrdinalIgnoreCase)) return FromNpz(spec);
        if (Directory.Exists(spec)) return FromFolder(spec, networkSize);
        using var split = DatasetCatalog.Load(spec, dataRoot, imageSize: 0);
        return new EvalImages(split.Test.Pixels.clone(), split.Test.Labels, 0);
    }

    static EvalImages FromNpz(string path)
    {
        var arrays = Npz.Read(path);
        if (!arrays.TryGetValue("images", out var images)) throw new DataFormatException(path, "has no 'images' array");
        if (images.Descr != "|u1" || images.Shape.Length != 4)
            throw new DataFormatException(path, $"'images' must be uint8 N×H×W×C, got {images.Descr} with shape ({string.Join(", ", images.Shape)})");
        long c = images.Shape[3];
        if (c is < 1 or > 4)
            throw new DataFormatException(path, $"'images' has {c} channels; expected 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA)");
        using var nhwc = tensor(images.Data).reshape(images.Shape);
        // Alpha is dropped, as for PNG files (PIL's convert("RGB")), so a container never changes the pixels.
        using var colour = nhwc.narrow(3, 0, c is 2 ? 1 : Math.Min(c, 3));
        var nchw = colour.permute(0, 3, 1, 2).contiguous();
        var labels = arrays.TryGetValue("labels", out var l) ? l.ToInt64() : new long[images.Shape[0]];
        if (labels.Length != images.Shape[0]) throw new DataFormatException(path, $"{labels.Length} labels for {images.Shape[0]} images");
        return new EvalImages(nchw, labels, 0);
    }

    static EvalImages FromFolder(string path, int networkSize)
    {
        var contents = ImageFolderReader.Scan(path);
        var files = contents.LooseImages.Select(f => (File: f, Label: 0L))
            .Concat(contents.Classes.SelectMany((c, i) => c.Files.Select(f => (File: f, Label: ClassLabel(contents, i))))).ToArray();
        var decoded = files.Select(f => ImageFolderReader.Decode(f.File)).ToArray();
        var labels = files.Select(f => f.Label).ToArray();
        var first = decoded[0];
        bool grey = decoded.All(d => d.IsGrey);
        if (decoded.All(d => d.Width == first.Width && d.Height == first.Height))
            return new EvalImages(Stack(decoded, grey), labels, contents.SkippedFiles);
        if (networkSize <= 0)
            throw ImageFolderReader.DifferentSizes(path, (first.Width, first.Height, first.File), decoded.First(d => d.Width != first.Width || d.Height != first.Height));
        using var scope = NewDisposeScope();
        var fitted = decoded.Select(d =>
        {
            using var pixels = Stack(new[] { d }, grey);
            return ImageResampling.Fit(ImageDataset.ToUnitRange(pixels), networkSize, padValue: -1);
        }).ToArray();
        return new EvalImages(cat(fitted).MoveToOuterDisposeScope(), labels, contents.SkippedFiles);
    }

    /// <summary>Sub-folders named by class number keep that number as the label; otherwise their ordinal index.</summary>
    static long ClassLabel(FolderContents contents, int index) =>
        contents.Classes.All(c => int.TryParse(c.Name, out _)) ? long.Parse(contents.Classes[index].Name) : index;

    /// <summary>Same-size decoded images as uint8 N×C×H×W (C = 1 when every image is grey).</summary>
    static Tensor Stack(DecodedImage[] images, bool grey)
    {
        int h = images[0].Height, w = images[0].Width, plane = h * w, c = grey ? 1 : 3;
        var bytes = new byte[images.Length * c * plane];
        for (int i = 0; i < images.Length; i++) Array.Copy(images[i].Rgb, 0, bytes, (long)i * c * plane, c * plane);
        return tensor(bytes).reshape(images.Length, c, h, w);
    }

    /// <summary>Brings images to a network's channels and size: <see cref="ImagePreprocessing.ToNetwork"/>.</summary>
    public static Tensor Adapt(Tensor images, int channels, int size) => ImagePreprocessing.ToNetwork(images, channels, size);
}
