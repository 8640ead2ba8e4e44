using SkiaSharp;

namespace Mnemo.Data.Readers;

/// <summary>
/// Reads a folder with one sub-folder per class of PNG/JPEG images (e.g. an LSUN export), centre-cropped to a
/// square and resized to <c>size</c>. Class names are the sub-folder names in ordinal order.
/// </summary>
public static class ImageFolderReader
{
    static readonly string[] Extensions = { ".png", ".jpg", ".jpeg", ".bmp", ".webp" };

    public static (byte[] Pixels, byte[] Labels, string[] ClassNames) Read(string root, int size, int channels, int maxPerClass = int.MaxValue)
    {
        if (!Directory.Exists(root)) throw new DataFormatException(root, "folder not found");
        if (channels != 1 && channels != 3) throw new ArgumentOutOfRangeException(nameof(channels), "channels must be 1 or 3");
        var classDirs = Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal).ToArray();
        if (classDirs.Length == 0) throw new DataFormatException(root, "no class sub-folders; expected ROOT/<class>/<image>.png");
        if (classDirs.Length > 255) throw new DataFormatException(root, "more than 255 class folders");
        var pixels = new List<byte>();
        var labels = new List<byte>();
        for (int c = 0; c < classDirs.Length; c++)
        {
            var files = Directory.GetFiles(classDirs[c])
                .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .OrderBy(f => f, StringComparer.Ordinal).Take(maxPerClass);
            foreach (var file in files)
            {
                pixels.AddRange(Load(file, size, channels));
                labels.Add((byte)c);
            }
        }
        if (labels.Count == 0) throw new DataFormatException(root, "no PNG/JPEG images in its class folders");
        return (pixels.ToArray(), labels.ToArray(), classDirs.Select(d => Path.GetFileName(d)).ToArray());
    }

    /// <summary>Decodes one image to channel-planar bytes (C×size×size).</summary>
    public static byte[] Load(string file, int size, int channels)
    {
        using var bitmap = SKBitmap.Decode(file) ?? throw new DataFormatException(file, "not a readable PNG/JPEG image");
        int side = Math.Min(bitmap.Width, bitmap.Height);
        var crop = new SKRectI((bitmap.Width - side) / 2, (bitmap.Height - side) / 2, (bitmap.Width - side) / 2 + side, (bitmap.Height - side) / 2 + side);
        var info = new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var resized = new SKBitmap(info);
        using (var canvas = new SKCanvas(resized))
        using (var image = SKImage.FromBitmap(bitmap))
        {
            canvas.DrawImage(image, SKRect.Create(crop.Left, crop.Top, crop.Width, crop.Height), SKRect.Create(0, 0, size, size),
                new SKSamplingOptions(SKCubicResampler.Mitchell));
        }
        var rgba = resized.GetPixelSpan();
        var planar = new byte[channels * size * size];
        for (int i = 0; i < size * size; i++)
        {
            byte r = rgba[4 * i], g = rgba[4 * i + 1], b = rgba[4 * i + 2];
            if (channels == 1) planar[i] = (byte)Math.Round(0.299 * r + 0.587 * g + 0.114 * b);
            else { planar[i] = r; planar[size * size + i] = g; planar[2 * size * size + i] = b; }
        }
        return planar;
    }
}
