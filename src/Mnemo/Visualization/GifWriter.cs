using SkiaSharp;

namespace Mnemo.Visualization;

/// <summary>
/// Writes an animated, looping GIF89a from equal-sized frames. SkiaSharp decodes GIF but cannot encode it, and the
/// other libraries served here that can (Magick.NET) bring a large native dependency for this one use, so this is
/// a small LZW encoder. Grey frames keep all 256 grey levels; colour frames use a 3-3-2 RGB palette.
/// Frames of different sizes are placed top-left on a black canvas of the largest size.
/// </summary>
public static class GifWriter
{
    public static void Save(IReadOnlyList<SKBitmap> frames, string path, int delayCentiseconds = 60)
    {
        if (frames.Count == 0) throw new ArgumentException("a GIF needs at least one frame");
        int w = frames.Max(f => f.Width), h = frames.Max(f => f.Height);
        if (w > ushort.MaxValue || h > ushort.MaxValue) throw new ArgumentException("GIF frames are limited to 65535 pixels per side");
        bool grey = frames.All(IsGrey);
        Training.AtomicFile.Write(path, s =>
        {
            using var o = new BinaryWriter(s, System.Text.Encoding.ASCII, leaveOpen: true);
            o.Write("GIF89a"u8);
            o.Write((ushort)w); o.Write((ushort)h);
            o.Write((byte)0xF7); o.Write((byte)0); o.Write((byte)0); // global 256-colour table
            for (int i = 0; i < 256; i++)
            {
                if (grey) { o.Write((byte)i); o.Write((byte)i); o.Write((byte)i); }
                else { o.Write((byte)((i >> 5) * 255 / 7)); o.Write((byte)(((i >> 2) & 7) * 255 / 7)); o.Write((byte)((i & 3) * 255 / 3)); }
            }
            o.Write(new byte[] { 0x21, 0xFF, 0x0B }); o.Write("NETSCAPE2.0"u8); o.Write(new byte[] { 3, 1, 0, 0, 0 }); // loop forever
            foreach (var frame in frames)
            {
                o.Write(new byte[] { 0x21, 0xF9, 4, 0x04 }); o.Write((ushort)delayCentiseconds); o.Write((byte)0); o.Write((byte)0);
                o.Write((byte)0x2C); o.Write((ushort)0); o.Write((ushort)0); o.Write((ushort)w); o.Write((ushort)h); o.Write((byte)0);
                o.Write((byte)8);
                WriteLzw(o, Indices(frame, grey, w, h));
            }
            o.Write((byte)0x3B);
        });
    }

    static bool IsGrey(SKBitmap bitmap)
    {
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red != c.Green || c.Green != c.Blue) return false;
            }
        return true;
    }

    static byte[] Indices(SKBitmap bitmap, bool grey, int width, int height)
    {
        var result = new byte[width * height]; // index 0 is black in both palettes
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                result[y * width + x] = grey ? c.Red
                    : (byte)(((c.Red * 7 + 127) / 255) << 5 | ((c.Green * 7 + 127) / 255) << 2 | ((c.Blue * 3 + 127) / 255));
            }
        return result;
    }

    /// <summary>GIF-flavoured LZW (8-bit minimum code size, variable code width up to 12 bits, LSB-first packing).</summary>
    static void WriteLzw(BinaryWriter o, byte[] pixels)
    {
        const int clear = 256, end = 257;
        var packed = new List<byte>();
        int bitBuffer = 0, bitCount = 0, codeSize = 9, next = end + 1;
        var table = new Dictionary<int, int>();

        void Emit(int code)
        {
            bitBuffer |= code << bitCount;
            bitCount += codeSize;
            while (bitCount >= 8) { packed.Add((byte)bitBuffer); bitBuffer >>= 8; bitCount -= 8; }
        }

        Emit(clear);
        int prefix = pixels[0];
        for (int i = 1; i < pixels.Length; i++)
        {
            int key = (prefix << 8) | pixels[i];
            if (table.TryGetValue(key, out int code)) { prefix = code; continue; }
            Emit(prefix);
            int assigned = next++;
            table[key] = assigned;
            if (assigned >= (1 << codeSize) && codeSize < 12) codeSize++;
            if (assigned == 4095)
            {
                Emit(clear);
                table.Clear();
                codeSize = 9;
                next = end + 1;
            }
            prefix = pixels[i];
        }
        Emit(prefix);
        Emit(end);
        if (bitCount > 0) packed.Add((byte)bitBuffer);
        for (int i = 0; i < packed.Count; i += 255)
        {
            int n = Math.Min(255, packed.Count - i);
            o.Write((byte)n);
            for (int j = 0; j < n; j++) o.Write(packed[i + j]);
        }
        o.Write((byte)0);
    }
}
