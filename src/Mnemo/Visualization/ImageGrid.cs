using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Visualization;

/// <summary>Lays a batch of images (N×C×H×W in [-1, 1], C = 1 or 3) out as a rows × columns grid.</summary>
public static class ImageGrid
{
    /// <summary>Renders the grid to an RGBA bitmap. Images fill rows left to right; missing cells stay black.</summary>
    public static SKBitmap Render(Tensor images, int columns, IReadOnlyList<string>? rowLabels = null, int padding = 2, int scale = 1)
    {
        if (images.dim() != 4 || (images.shape[1] != 1 && images.shape[1] != 3))
            throw new ArgumentException($"expected N×C×H×W images with C = 1 or 3, got [{string.Join(",", images.shape)}]");
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns));
        int n = (int)images.shape[0], c = (int)images.shape[1], h = (int)images.shape[2], w = (int)images.shape[3];
        int rows = Math.Max(1, (n + columns - 1) / columns);
        int labelWidth = rowLabels is { Count: > 0 } ? 12 + 8 * rowLabels.Max(l => l.Length) : 0;
        int cellW = w * scale, cellH = h * scale;
        int width = labelWidth + columns * (cellW + padding) + padding;
        int height = rows * (cellH + padding) + padding;

        byte[] pixels;
        using (var scope = NewDisposeScope())
            pixels = images.detach().cpu().add(1.0).mul(127.5).round().clamp(0, 255).to_type(ScalarType.Byte).contiguous().data<byte>().ToArray();

        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(new SKColor(32, 32, 32));
        var rgba = new byte[cellW * cellH * 4];
        for (int i = 0; i < n; i++)
        {
            int row = i / columns, col = i % columns;
            for (int y = 0; y < cellH; y++)
                for (int x = 0; x < cellW; x++)
                {
                    int sy = y / scale, sx = x / scale, o = 4 * (y * cellW + x);
                    int baseIdx = i * c * h * w + sy * w + sx;
                    byte r = pixels[baseIdx];
                    byte g = c == 3 ? pixels[baseIdx + h * w] : r;
                    byte b = c == 3 ? pixels[baseIdx + 2 * h * w] : r;
                    rgba[o] = r; rgba[o + 1] = g; rgba[o + 2] = b; rgba[o + 3] = 255;
                }
            using var cell = new SKBitmap(new SKImageInfo(cellW, cellH, SKColorType.Rgba8888, SKAlphaType.Opaque));
            System.Runtime.InteropServices.Marshal.Copy(rgba, 0, cell.GetPixels(), rgba.Length);
            canvas.DrawBitmap(cell, labelWidth + padding + col * (cellW + padding), padding + row * (cellH + padding));
        }
        if (rowLabels is { Count: > 0 })
        {
            using var font = new SKFont(Fonts.Default, Math.Min(14, cellH * 0.6f));
            using var paint = new SKPaint { Color = SKColors.White, IsAntialias = true };
            for (int r = 0; r < Math.Min(rows, rowLabels.Count); r++)
                canvas.DrawText(rowLabels[r], 4, padding + r * (cellH + padding) + cellH / 2f + font.Size / 3, font, paint);
        }
        return bitmap;
    }

    /// <summary>Writes the grid as a PNG file.</summary>
    public static void SavePng(Tensor images, int columns, string path, IReadOnlyList<string>? rowLabels = null, int scale = 1, int padding = 2)
    {
        using var bitmap = Render(images, columns, rowLabels, padding, scale);
        SavePng(bitmap, path);
    }

    public static void SavePng(SKBitmap bitmap, string path)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        Training.AtomicFile.Write(path, s => data.SaveTo(s));
    }
}
