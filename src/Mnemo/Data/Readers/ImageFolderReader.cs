using SkiaSharp;
using static TorchSharp.torch;

namespace Mnemo.Data.Readers;

/// <summary>What a folder of images holds, after hidden and system entries are set aside.</summary>
/// <param name="LooseImages">Image files directly in the folder (a flat folder: one unnamed class).</param>
/// <param name="Classes">Sub-folders holding images, in ordinal order of their names, with their image files.</param>
/// <param name="SkippedFiles">Non-image files and sub-folders without images that were left out (reported).</param>
/// <param name="IgnoredEntries">Hidden and system entries (dot-names, __MACOSX, Thumbs.db, …), never read.</param>
public sealed record FolderContents(string Root, string[] LooseImages, (string Name, string[] Files)[] Classes, int SkippedFiles, int IgnoredEntries)
{
    public int ImageCount => LooseImages.Length + Classes.Sum(c => c.Files.Length);
}

/// <summary>One decoded image at its own size: channel-planar RGB bytes (3×H×W), alpha dropped.</summary>
public sealed record DecodedImage(string File, byte[] Rgb, int Width, int Height)
{
    /// <summary>True when every pixel has R = G = B (grey PNGs, and RGB/palette files holding grey pixels).</summary>
    public bool IsGrey
    {
        get
        {
            int plane = Width * Height;
            for (int i = 0; i < plane; i++)
                if (Rgb[i] != Rgb[plane + i] || Rgb[i] != Rgb[2 * plane + i]) return false;
            return true;
        }
    }
}

/// <summary>
/// Reads folders of PNG/JPEG images: a flat folder (evaluation inputs, `mnemo sample --out DIR`) or one sub-folder
/// per class (e.g. an LSUN export, `folder:PATH` datasets). Hidden and system entries are ignored, other non-image
/// files skipped and counted, and a folder with both loose images and class sub-folders is refused, so that no
/// image is silently dropped. Pixels are decoded unchanged (no colour management, no resampling); sizes are then
/// brought together by <see cref="ImageResampling"/>.
/// </summary>
public static class ImageFolderReader
{
    static readonly string[] Extensions = { ".png", ".jpg", ".jpeg", ".bmp", ".webp" };
    static readonly HashSet<string> SystemNames = new(StringComparer.OrdinalIgnoreCase)
        { "__MACOSX", "Thumbs.db", "ehthumbs.db", "desktop.ini", "$RECYCLE.BIN", "System Volume Information", "@eaDir", "Icon\r" };

    /// <summary>True for entries that file managers and archivers create and nobody means as data.</summary>
    public static bool IsHiddenOrSystem(string name) => name.StartsWith('.') || SystemNames.Contains(name);

    public static bool IsImage(string file) => Extensions.Contains(Path.GetExtension(file).ToLowerInvariant());

    /// <summary>Lists the images of a folder. Throws <see cref="DataFormatException"/> when the folder is missing,
    /// holds no images, or mixes loose images with class sub-folders.</summary>
    public static FolderContents Scan(string root)
    {
        if (!Directory.Exists(root)) throw new DataFormatException(root, "folder not found");
        int skipped = 0, ignored = 0;
        var loose = new List<string>();
        foreach (var file in Directory.GetFiles(root).Order(StringComparer.Ordinal))
        {
            if (IsHiddenOrSystem(Path.GetFileName(file))) ignored++;
            else if (IsImage(file)) loose.Add(file);
            else skipped++;
        }
        var classes = new List<(string, string[])>();
        foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            if (IsHiddenOrSystem(Path.GetFileName(dir))) { ignored++; continue; }
            var files = new List<string>();
            foreach (var entry in Directory.GetFileSystemEntries(dir).Order(StringComparer.Ordinal))
            {
                if (IsHiddenOrSystem(Path.GetFileName(entry))) ignored++;
                else if (File.Exists(entry) && IsImage(entry)) files.Add(entry);
                else skipped++; // non-image files and nested folders: one level of classes only
            }
            if (files.Count > 0) classes.Add((Path.GetFileName(dir), files.ToArray()));
            else skipped++;
        }
        if (loose.Count > 0 && classes.Count > 0)
            throw new DataFormatException(root, $"holds both {loose.Count} images and {classes.Count} class sub-folders with images ({string.Join(", ", classes.Take(3).Select(c => c.Item1))}); put every image in a class sub-folder, or move the sub-folders out");
        var contents = new FolderContents(root, loose.ToArray(), classes.ToArray(), skipped, ignored);
        if (contents.ImageCount == 0) throw new DataFormatException(root, "holds no PNG/JPEG images");
        return contents;
    }

    /// <summary>
    /// A `folder:PATH` dataset: one sub-folder per class, each image centre-cropped to a square and brought to
    /// size×size by <see cref="ImageResampling"/> (size ≤ 0: every image must already share one size; the square
    /// crop keeps its side). Returns channel-planar bytes (N×C×side×side), labels (class index in ordinal order of folder names) and names.
    /// </summary>
    public static (byte[] Pixels, byte[] Labels, string[] ClassNames) Read(string root, int size, int channels, int maxPerClass = int.MaxValue)
    {
        if (channels != 1 && channels != 3) throw new ArgumentOutOfRangeException(nameof(channels), "channels must be 1 or 3");
        var contents = Scan(root);
        if (contents.Classes.Length == 0) throw new DataFormatException(root, "no class sub-folders; expected ROOT/<class>/<image>.png");
        if (contents.Classes.Length > 255) throw new DataFormatException(root, "more than 255 class folders");
        var pixels = new List<byte>();
        var labels = new List<byte>();
        (int W, int H, string File)? first = null;
        for (int c = 0; c < contents.Classes.Length; c++)
            foreach (var file in contents.Classes[c].Files.Take(maxPerClass))
            {
                var image = Decode(file);
                if (size <= 0)
                {
                    first ??= (image.Width, image.Height, file);
                    if (image.Width != first.Value.W || image.Height != first.Value.H) throw DifferentSizes(root, first.Value, image);
                }
                pixels.AddRange(ToSize(image, size, channels));
                labels.Add((byte)c);
            }
        return (pixels.ToArray(), labels.ToArray(), contents.Classes.Select(c => c.Name).ToArray());
    }

    internal static DataFormatException DifferentSizes(string root, (int W, int H, string File) first, DecodedImage other) =>
        new(root, $"images differ in size ({Path.GetFileName(first.File)} is {first.W}×{first.H}, {Path.GetFileName(other.File)} is {other.Width}×{other.Height}); give images of one size");

    /// <summary>Decodes one image, centre-crops it to a square, brings it to size×size (<see cref="ImageResampling"/>;
    /// size ≤ 0: the square's own side) and converts it to 1 (luma) or 3 channels: channel-planar bytes (C×size×size).</summary>
    public static byte[] Load(string file, int size, int channels) => ToSize(Decode(file), size, channels);

    static byte[] ToSize(DecodedImage image, int size, int channels)
    {
        using var scope = NewDisposeScope();
        var x = tensor(image.Rgb).reshape(1, 3, image.Height, image.Width);
        int side = Math.Min(image.Width, image.Height);
        x = x.narrow(2, (image.Height - side) / 2, side).narrow(3, (image.Width - side) / 2, side);
        x = ImageResampling.FitBytes(x, size);
        if (channels == 1) x = Luma(x);
        return x.contiguous().data<byte>().ToArray();
    }

    /// <summary>Grey from RGB bytes (N×3×H×W → N×1×H×W) with PIL's "L" conversion: ITU-R 601-2 luma in 16-bit fixed
    /// point, L = (19595 R + 38470 G + 7471 B + 2¹⁵) >> 16, so that grey pixels (R = G = B) keep their value exactly.</summary>
    public static Tensor Luma(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var w = tensor(new long[] { 19595, 38470, 7471 }).view(1, 3, 1, 1);
        var l = rgb.to_type(ScalarType.Int64).mul(w).sum(1, keepdim: true).add(32768).div(65536, rounding_mode: RoundingMode.floor);
        return l.to_type(ScalarType.Byte).MoveToOuterDisposeScope();
    }

    /// <summary>Decodes a PNG/JPEG/BMP/WebP file to RGB bytes at its own size: grey, grey+alpha, palette, RGB, RGBA
    /// and 16-bit files all come out as 8-bit RGB, alpha dropped (as PIL's convert("RGB"), which pytorch-fid uses).
    /// Throws <see cref="DataFormatException"/> naming the file when it cannot be decoded.</summary>
    public static DecodedImage Decode(string file)
    {
        using var codec = SKCodec.Create(file) ?? throw new DataFormatException(file, "not a readable PNG/JPEG image");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
            throw new DataFormatException(file, $"could not decode the image ({result})");
        var rgba = bitmap.GetPixelSpan();
        int plane = info.Width * info.Height;
        var rgb = new byte[3 * plane];
        for (int i = 0; i < plane; i++)
        {
            rgb[i] = rgba[4 * i];
            rgb[plane + i] = rgba[4 * i + 1];
            rgb[2 * plane + i] = rgba[4 * i + 2];
        }
        return new DecodedImage(file, rgb, info.Width, info.Height);
    }
}
