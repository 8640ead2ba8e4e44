using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Mnemo.Data;

/// <summary>One array of a NumPy .npy/.npz file: element type code (numpy descr), shape and raw little-endian bytes.</summary>
public sealed record NpyArray(string Descr, long[] Shape, byte[] Data)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    public static NpyArray FromBytes(byte[] data, params long[] shape) => new("|u1", shape, data);

    public static NpyArray FromInt64(long[] values, params long[] shape)
    {
        var bytes = new byte[values.Length * 8];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return new("<i8", shape, bytes);
    }

    public static NpyArray FromFloat32(float[] values, params long[] shape)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return new("<f4", shape, bytes);
    }

    /// <summary>The values of a float32 ("&lt;f4") array. Throws <see cref="MnemoException"/> for another dtype.</summary>
    public float[] ToFloat32()
    {
        if (Descr != "<f4") throw new MnemoException($"expected a float32 array, got NumPy dtype {Descr}");
        var result = new float[Count];
        Buffer.BlockCopy(Data, 0, result, 0, Data.Length);
        return result;
    }

    public long[] ToInt64()
    {
        var result = new long[Count];
        for (long i = 0; i < Count; i++)
            result[i] = Descr switch
            {
                "|u1" => Data[i],
                "|i1" => (sbyte)Data[i],
                "<i4" => BitConverter.ToInt32(Data, (int)(i * 4)),
                "<i8" => BitConverter.ToInt64(Data, (int)(i * 8)),
                "<u4" => BitConverter.ToUInt32(Data, (int)(i * 4)),
                "<u8" => (long)BitConverter.ToUInt64(Data, (int)(i * 8)),
                _ => throw new MnemoException($"cannot read NumPy dtype {Descr} as integers; store labels as integers"),
            };
        return result;
    }
}

/// <summary>Reads and writes NumPy .npz archives (zip of .npy version 1.0 files, C order), so that generated
/// images can be evaluated by outside tools and outside samples by Mnemo.</summary>
public static class Npz
{
    static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    public static void Write(string path, IReadOnlyDictionary<string, NpyArray> arrays)
    {
        Training.AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, array) in arrays)
            {
                using var entry = zip.CreateEntry(name + ".npy", CompressionLevel.Fastest).Open();
                WriteNpy(entry, array);
            }
        });
    }

    public static void WriteNpy(Stream s, NpyArray a)
    {
        var shape = a.Shape.Length == 1 ? $"({a.Shape[0]},)" : "(" + string.Join(", ", a.Shape) + ")";
        var header = $"{{'descr': '{a.Descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int total = Magic.Length + 4 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        s.Write(Magic);
        s.WriteByte(1); s.WriteByte(0);
        s.Write(BitConverter.GetBytes((ushort)header.Length));
        s.Write(Encoding.ASCII.GetBytes(header));
        s.Write(a.Data);
    }

    public static Dictionary<string, NpyArray> Read(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "file not found");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var result = new Dictionary<string, NpyArray>();
            foreach (var entry in zip.Entries.Where(e => e.Name.EndsWith(".npy", StringComparison.Ordinal)))
            {
                using var s = entry.Open();
                using var ms = new MemoryStream();
                s.CopyTo(ms);
                result[entry.Name[..^4]] = ReadNpy(ms.ToArray(), $"{path}:{entry.Name}");
            }
            return result;
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, $"not a valid .npz archive ({e.Message})", e);
        }
    }

    public static NpyArray ReadNpy(byte[] data, string name)
    {
        if (data.Length < 10 || !data.AsSpan(0, 6).SequenceEqual(Magic)) throw new DataFormatException(name, "not a .npy array (bad magic)");
        int major = data[6];
        if (major is < 1 or > 3 || (major > 1 && data.Length < 12)) throw new DataFormatException(name, $"unsupported .npy format version {major}");
        int headerLength = major == 1 ? BitConverter.ToUInt16(data, 8) : BitConverter.ToInt32(data, 8);
        int headerStart = major == 1 ? 10 : 12;
        if (headerLength < 0 || (long)headerStart + headerLength > data.Length) throw new DataFormatException(name, "truncated .npy header");
        var header = Encoding.ASCII.GetString(data, headerStart, headerLength);
        var descr = Regex.Match(header, @"'descr':\s*'([^']+)'").Groups[1].Value;
        if (Regex.IsMatch(header, @"'fortran_order':\s*True")) throw new DataFormatException(name, "Fortran-order arrays are not supported");
        var shapeText = Regex.Match(header, @"'shape':\s*\(([^)]*)\)").Groups[1].Value;
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => long.TryParse(t, out var d) && d >= 0 ? d : throw new DataFormatException(name, $"bad dimension '{t}' in the .npy header")).ToArray();
        var payload = data.AsSpan(headerStart + headerLength).ToArray();
        var array = new NpyArray(descr, shape, payload);
        int elementSize = descr.Length > 2 && int.TryParse(descr[2..], out var size) && size > 0 ? size : 1;
        long needed;
        try { needed = checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * elementSize); }
        catch (OverflowException) { throw new DataFormatException(name, $"shape ({string.Join(", ", shape)}) is too large"); }
        if (payload.Length != needed)
            throw new DataFormatException(name, $"holds {payload.Length} bytes but shape ({string.Join(", ", shape)}) of {descr} needs {needed}");
        return array;
    }
}
