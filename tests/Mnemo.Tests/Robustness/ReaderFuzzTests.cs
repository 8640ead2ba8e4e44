using System.Text;
using Mnemo.Data;
using Mnemo.Data.Readers;
using Mnemo.Training;
using SkiaSharp;

namespace Mnemo.Tests.Robustness;

/// <summary>
/// Randomised-input tests of every data-file reader: valid small files are truncated, bit-flipped, overwritten with
/// random header fields, extended or replaced by noise, and read back. A reader may accept a mutated file or throw
/// its documented error (<see cref="MnemoException"/>, of which <see cref="DataFormatException"/> is one); any other
/// exception — index out of range, overflow, out of memory — is a bug.
/// </summary>
public class ReaderFuzzTests
{
    // 500 cases per format in the suite; MNEMO_FUZZ_CASES / MNEMO_FUZZ_SEED run a longer or different campaign.
    static readonly int CasesPerFormat = int.TryParse(Environment.GetEnvironmentVariable("MNEMO_FUZZ_CASES"), out var n) && n > 0 ? n : 500;
    static readonly int SeedOffset = int.TryParse(Environment.GetEnvironmentVariable("MNEMO_FUZZ_SEED"), out var s) ? s : 0;

    static void Fuzz(string extension, byte[] valid, Action<string> read, int seed)
    {
        using var dir = new TempDir();
        read(WriteCase(dir, extension, valid, -1)); // the unmutated file must load
        var rng = new Random(seed + 1000 * SeedOffset);
        var failures = new List<string>();
        for (int i = 0; i < CasesPerFormat; i++)
        {
            var mutated = Mutate(valid, rng, out var how);
            var path = WriteCase(dir, extension, mutated, i);
            try { read(path); }
            catch (MnemoException) { }
            catch (Exception e) { failures.Add($"case {i} ({how}): {e.GetType().Name}: {e.Message}"); }
            File.Delete(path);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {CasesPerFormat} mutated {extension} files crashed the reader:\n" + string.Join("\n", failures.Take(10)));
    }

    static string WriteCase(TempDir dir, string extension, byte[] bytes, int i)
    {
        var path = dir.File($"case{i}{extension}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static byte[] Mutate(byte[] valid, Random rng, out string how)
    {
        var b = (byte[])valid.Clone();
        switch (rng.Next(6))
        {
            case 0:
                how = "truncated";
                return b[..rng.Next(b.Length)];
            case 1:
                how = "bit flips";
                for (int k = rng.Next(1, 9); k > 0; k--) b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
                return b;
            case 2:
                how = "random 4-byte field in the header";
                int at = rng.Next(Math.Min(b.Length - 4, 160));
                var field = new byte[4];
                rng.NextBytes(field);
                if (rng.Next(2) == 0) field = BitConverter.GetBytes(rng.Next(2) == 0 ? int.MaxValue - rng.Next(100) : -rng.Next(1, 100));
                field.CopyTo(b, at);
                return b;
            case 3:
                how = "bytes appended";
                var extra = new byte[rng.Next(1, 64)];
                rng.NextBytes(extra);
                return b.Concat(extra).ToArray();
            case 4:
                how = "header bytes zeroed";
                int from = rng.Next(Math.Min(b.Length, 64));
                Array.Clear(b, from, Math.Min(rng.Next(1, 16), b.Length - from));
                return b;
            default:
                how = "noise";
                var noise = new byte[rng.Next(0, 2 * b.Length)];
                rng.NextBytes(noise);
                if (noise.Length > 4 && rng.Next(2) == 0) b.AsSpan(0, 4).CopyTo(noise); // keep the magic
                return noise;
        }
    }

    static byte[] FileBytes(Action<string> write)
    {
        using var dir = new TempDir();
        write(dir.File("f"));
        return File.ReadAllBytes(dir.File("f"));
    }

    [Fact]
    public void IdxImages() =>
        Fuzz(".idx3", FileBytes(p => IdxReader.WriteImages(p, Enumerable.Range(0, 3 * 28 * 28).Select(i => (byte)i).ToArray(), 3, 28, 28)),
            p => IdxReader.ReadImages(p), 1);

    [Fact]
    public void IdxLabels() =>
        Fuzz(".idx1", FileBytes(p => IdxReader.WriteLabels(p, new byte[] { 1, 2, 3, 4, 5, 6, 7 })), p => IdxReader.ReadLabels(p), 2);

    [Fact]
    public void Cifar10Batch()
    {
        var bytes = new byte[3 * 3073];
        new Random(3).NextBytes(bytes);
        for (int i = 0; i < 3; i++) bytes[i * 3073] = (byte)i;
        Fuzz(".bin", bytes, p => Cifar10BinaryReader.ReadBatch(p), 3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SvhnMatV5(bool compressed)
    {
        var x = new byte[32 * 32 * 3 * 2];
        new Random(4).NextBytes(x);
        var y = new double[] { 10, 3 }.SelectMany(BitConverter.GetBytes).ToArray();
        var valid = FileBytes(p => MatV5Writer.Write(p, new[] { new MatArray("X", new[] { 32, 32, 3, 2 }, MatArray.MiUInt8, x),
            new MatArray("y", new[] { 2, 1 }, MatArray.MiDouble, y) }, compressed));
        Fuzz(".mat", valid, p => SvhnReader.Read(p), compressed ? 5 : 6);
    }

    [Fact]
    public void NpzSamples()
    {
        var valid = FileBytes(p => Npz.Write(p, new Dictionary<string, NpyArray>
        {
            ["images"] = NpyArray.FromBytes(Enumerable.Range(0, 2 * 8 * 8).Select(i => (byte)i).ToArray(), 2, 8, 8, 1),
            ["labels"] = NpyArray.FromInt64(new long[] { 3, 5 }, 2),
        }));
        Fuzz(".npz", valid, p => Npz.Read(p), 7);
    }

    [Fact]
    public void NpyArrays()
    {
        using var ms = new MemoryStream();
        Npz.WriteNpy(ms, NpyArray.FromInt64(new long[] { 1, 2, 3, 4, 5, 6 }, 2, 3));
        Fuzz(".npy", ms.ToArray(), p => Npz.ReadNpy(File.ReadAllBytes(p), p), 8);
    }

    [Fact]
    public void FashionJson()
    {
        var rows = Enumerable.Range(0, 3).Select(i => "[" + string.Join(",", Enumerable.Repeat(i * 40, 784)) + "]");
        Fuzz(".json", Encoding.ASCII.GetBytes("{\"data\":[" + string.Join(",", rows) + "]}"), p => FashionMnistJsonReader.ReadClass(p), 9);
    }

    [Fact]
    public void Checkpoints()
    {
        var checkpoint = new Checkpoint("fuzz", 42, "abc");
        checkpoint.Meta["task"] = 3;
        using (var t = TorchSharp.torch.arange(20f)) checkpoint.AddTensor("t", t);
        var valid = FileBytes(checkpoint.Save);
        Fuzz(".ckpt", valid, p => Checkpoint.Load(p).LoadTensor("t").Dispose(), 10);
    }

    [Fact]
    public void ImageFiles()
    {
        using var bitmap = new SKBitmap(12, 10);
        for (int y = 0; y < 10; y++)
            for (int x = 0; x < 12; x++) bitmap.SetPixel(x, y, new SKColor((byte)(x * 20), (byte)(y * 25), 90));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        Fuzz(".png", data.ToArray(), p => ImageFolderReader.Load(p, 8, 3), 11);
    }
}
