using System.IO.Compression;
using Mnemo.Data;
using Mnemo.Data.Readers;

namespace Mnemo.Tests.Evaluation;

/// <summary>Grey test images and the containers that hold them: .npz files, PNG files in every colour type (written
/// byte by byte, so each mode is exactly what the PNG specification says), and an MNIST-layout data folder.</summary>
public static class TestImages
{
    /// <summary>n grey 28×28 images (row-major bytes): a few random bright strokes on a noisy dark background, varied
    /// enough that 128-d features have a full-rank covariance.</summary>
    public static byte[] Digits(int n, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[n * 784];
        for (int i = 0; i < n; i++)
        {
            for (int p = 0; p < 784; p++) pixels[i * 784 + p] = (byte)rng.Next(30);
            for (int s = 0; s < 3; s++)
            {
                int top = rng.Next(2, 20), left = rng.Next(2, 20), h = rng.Next(2, 8), w = rng.Next(2, 8);
                for (int y = top; y < top + h; y++)
                    for (int x = left; x < left + w; x++) pixels[i * 784 + y * 28 + x] = (byte)rng.Next(150, 256);
            }
        }
        return pixels;
    }

    /// <summary>The images zero-padded to 32×32 by hand.</summary>
    public static byte[] Padded32(byte[] digits)
    {
        int n = digits.Length / 784;
        var result = new byte[n * 1024];
        for (int i = 0; i < n; i++)
            for (int y = 0; y < 28; y++) Array.Copy(digits, i * 784 + y * 28, result, i * 1024 + (y + 2) * 32 + 2, 28);
        return result;
    }

    /// <summary>Writes an .npz with images uint8 N×H×W×C, each grey value repeated into C channels (alpha: 255 for
    /// C = 2 and 4).</summary>
    public static void WriteNpz(string path, byte[] grey, int side, int channels)
    {
        int n = grey.Length / (side * side);
        var data = new byte[grey.Length * channels];
        for (int p = 0; p < grey.Length; p++)
            for (int c = 0; c < channels; c++)
                data[p * channels + c] = (channels is 2 or 4) && c == channels - 1 ? (byte)255 : grey[p];
        Npz.Write(path, new Dictionary<string, NpyArray> { ["images"] = NpyArray.FromBytes(data, n, side, side, channels) });
    }

    /// <summary>PNG colour modes by PIL's names; I16 is 16-bit grey holding v · 257.</summary>
    public static readonly string[] PngModes = { "L", "LA", "RGB", "RGBA", "P", "I16" };

    /// <summary>Writes each 28×28 image as FOLDER/00000.png … in the given mode.</summary>
    public static void WritePngFolder(string folder, byte[] digits, string mode)
    {
        Directory.CreateDirectory(folder);
        for (int i = 0; i < digits.Length / 784; i++)
            WritePng(Path.Combine(folder, $"{i:00000}.png"), digits.AsSpan(i * 784, 784), 28, 28, mode);
    }

    public static void WritePng(string path, ReadOnlySpan<byte> grey, int width, int height, string mode)
    {
        var (colourType, depth, bytesPerPixel) = mode switch
        {
            "L" => (0, 8, 1), "LA" => (4, 8, 2), "RGB" => (2, 8, 3), "RGBA" => (6, 8, 4), "P" => (3, 8, 1), "I16" => (0, 16, 2),
            _ => throw new ArgumentException(mode),
        };
        var raw = new MemoryStream();
        for (int y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            for (int x = 0; x < width; x++)
            {
                byte v = grey[y * width + x];
                byte[] px = mode switch
                {
                    "L" or "P" => new[] { v }, "LA" => new[] { v, (byte)255 }, "RGB" => new[] { v, v, v },
                    "RGBA" => new[] { v, v, v, (byte)255 }, _ => new[] { v, v }, // I16: v·257 big-endian is (v, v)
                };
                raw.Write(px, 0, bytesPerPixel);
            }
        }
        var file = new MemoryStream();
        file.Write(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 });
        var header = new byte[13];
        BigEndian(header, 0, (uint)width); BigEndian(header, 4, (uint)height);
        header[8] = (byte)depth; header[9] = (byte)colourType;
        Chunk(file, "IHDR", header);
        if (mode == "P") Chunk(file, "PLTE", Enumerable.Range(0, 256).SelectMany(i => new[] { (byte)i, (byte)i, (byte)i }).ToArray());
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) raw.WriteTo(z);
        Chunk(file, "IDAT", compressed.ToArray());
        Chunk(file, "IEND", Array.Empty<byte>());
        File.WriteAllBytes(path, file.ToArray());
    }

    /// <summary>An MNIST folder (DATA/mnist: IDX files and the fetch marker) whose test split is <paramref name="test"/>.</summary>
    public static void WriteMnist(string dataRoot, byte[] test, byte[] train)
    {
        var dir = DatasetFetcher.DatasetFolder(dataRoot, "mnist");
        Directory.CreateDirectory(dir);
        IdxReader.WriteImages(Path.Combine(dir, "t10k-images-idx3-ubyte"), test, test.Length / 784, 28, 28);
        IdxReader.WriteLabels(Path.Combine(dir, "t10k-labels-idx1-ubyte"), Enumerable.Range(0, test.Length / 784).Select(i => (byte)(i % 10)).ToArray());
        IdxReader.WriteImages(Path.Combine(dir, "train-images-idx3-ubyte"), train, train.Length / 784, 28, 28);
        IdxReader.WriteLabels(Path.Combine(dir, "train-labels-idx1-ubyte"), Enumerable.Range(0, train.Length / 784).Select(i => (byte)(i % 10)).ToArray());
        File.WriteAllText(Path.Combine(dir, ".complete"), "test\n");
    }

    static void Chunk(Stream s, string type, byte[] data)
    {
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        var word = new byte[4];
        BigEndian(word, 0, (uint)data.Length); s.Write(word);
        s.Write(typed);
        BigEndian(word, 0, Crc32(typed)); s.Write(word);
    }

    static void BigEndian(byte[] b, int at, uint v)
    {
        b[at] = (byte)(v >> 24); b[at + 1] = (byte)(v >> 16); b[at + 2] = (byte)(v >> 8); b[at + 3] = (byte)v;
    }

    static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
