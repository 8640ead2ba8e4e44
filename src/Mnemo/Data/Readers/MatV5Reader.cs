using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Mnemo.Data.Readers;

/// <summary>One numeric array of a MATLAB v5 file, kept in its stored element type (column-major).</summary>
public sealed record MatArray(string Name, int[] Dimensions, int ElementType, byte[] Data)
{
    public const int MiInt8 = 1, MiUInt8 = 2, MiInt16 = 3, MiUInt16 = 4, MiInt32 = 5, MiUInt32 = 6,
        MiSingle = 7, MiDouble = 9, MiInt64 = 12, MiUInt64 = 13;

    public long ElementCount => Dimensions.Aggregate(1L, (a, d) => a * d);

    public static int ElementSize(int type) => type switch
    {
        MiInt8 or MiUInt8 => 1,
        MiInt16 or MiUInt16 => 2,
        MiInt32 or MiUInt32 or MiSingle => 4,
        MiDouble or MiInt64 or MiUInt64 => 8,
        _ => 0,
    };

    public double this[long i] => ElementType switch
    {
        MiInt8 => (sbyte)Data[i],
        MiUInt8 => Data[i],
        MiInt16 => BinaryPrimitives.ReadInt16LittleEndian(Data.AsSpan((int)(i * 2))),
        MiUInt16 => BinaryPrimitives.ReadUInt16LittleEndian(Data.AsSpan((int)(i * 2))),
        MiInt32 => BinaryPrimitives.ReadInt32LittleEndian(Data.AsSpan((int)(i * 4))),
        MiUInt32 => BinaryPrimitives.ReadUInt32LittleEndian(Data.AsSpan((int)(i * 4))),
        MiSingle => BinaryPrimitives.ReadSingleLittleEndian(Data.AsSpan((int)(i * 4))),
        MiDouble => BinaryPrimitives.ReadDoubleLittleEndian(Data.AsSpan((int)(i * 8))),
        MiInt64 => BinaryPrimitives.ReadInt64LittleEndian(Data.AsSpan((int)(i * 8))),
        MiUInt64 => BinaryPrimitives.ReadUInt64LittleEndian(Data.AsSpan((int)(i * 8))),
        _ => throw new InvalidOperationException($"unsupported element type {ElementType}"),
    };
}

/// <summary>
/// Reads numeric arrays from MATLAB level-5 MAT-files (little-endian, optionally zlib-compressed elements),
/// the format of SVHN's train_32x32.mat / test_32x32.mat.
/// </summary>
public static class MatV5Reader
{
    const int MiMatrix = 14, MiCompressed = 15;

    public static Dictionary<string, MatArray> Read(string path)
    {
        var data = DataFiles.ReadAll(path, "Point the reader at SVHN's train_32x32.mat / test_32x32.mat.");
        if (data.Length < 128) throw new DataFormatException(path, "too short for a MATLAB v5 file (128-byte header)");
        if (data[126] != (byte)'I' || data[127] != (byte)'M')
            throw new DataFormatException(path, data[126] == 'M' && data[127] == 'I'
                ? "big-endian MAT-files are not supported"
                : "not a MATLAB v5 MAT-file (no 'IM' endian marker); v7.3 (HDF5) files are not supported, save with -v7 or -v6");
        var result = new Dictionary<string, MatArray>();
        int pos = 128;
        while (pos + 8 <= data.Length)
        {
            var (type, size, payload) = ReadTag(data, ref pos, path);
            if (type == MiCompressed)
            {
                byte[] inflated;
                try
                {
                    using var z = new ZLibStream(new MemoryStream(data, payload, size), CompressionMode.Decompress);
                    using var ms = new MemoryStream();
                    z.CopyTo(ms);
                    inflated = ms.ToArray();
                }
                catch (InvalidDataException e)
                {
                    throw new DataFormatException(path, "a compressed element is corrupt or truncated", e);
                }
                int inner = 0;
                var (innerType, innerSize, innerPayload) = ReadTag(inflated, ref inner, path);
                if (innerType == MiMatrix) AddMatrix(result, inflated, innerPayload, innerSize, path);
            }
            else if (type == MiMatrix)
            {
                AddMatrix(result, data, payload, size, path);
            }
        }
        return result;
    }

    static (int Type, int Size, int Payload) ReadTag(byte[] data, ref int pos, string path)
    {
        if (pos + 8 > data.Length) throw new DataFormatException(path, "file is truncated inside an element tag");
        uint first = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos));
        if ((first >> 16) != 0)
        {
            // Small data element: type and size share the first word, payload sits in the next 4 bytes.
            int small = (int)(first >> 16);
            if (small > 4) throw new DataFormatException(path, $"small data element claims {small} bytes (at most 4); the file is corrupt");
            int payloadAt = pos + 4;
            pos += 8;
            return ((int)(first & 0xffff), small, payloadAt);
        }
        int size = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(pos + 4));
        int payload = pos + 8;
        if (size < 0 || (long)payload + size > data.Length)
            throw new DataFormatException(path, $"element of {size} bytes runs past the end of the file; the file is truncated");
        int type = (int)first;
        // Compressed elements are not padded; everything else is padded to 8 bytes.
        pos = payload + (type == MiCompressed ? size : (size + 7) / 8 * 8);
        return (type, size, payload);
    }

    static void AddMatrix(Dictionary<string, MatArray> result, byte[] data, int start, int size, string path)
    {
        int pos = start, end = start + size;
        var (flagsType, _, flagsAt) = ReadTag(data, ref pos, path);
        if (flagsType != MatArray.MiUInt32) throw new DataFormatException(path, "matrix without array flags");
        int mxClass = data[flagsAt] & 0xff;
        bool complex = (data[flagsAt + 1] & 0x08) != 0;
        if (mxClass < 6 || mxClass > 15) return; // cells, structs, chars, sparse: not numeric arrays, skip
        var (dimType, dimSize, dimAt) = ReadTag(data, ref pos, path);
        if (dimType != MatArray.MiInt32 || dimSize % 4 != 0) throw new DataFormatException(path, "matrix dimensions are malformed");
        var dims = new int[dimSize / 4];
        for (int i = 0; i < dims.Length; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(dimAt + 4 * i));
            if (dims[i] < 0) throw new DataFormatException(path, "negative matrix dimension");
        }
        var (_, nameSize, nameAt) = ReadTag(data, ref pos, path);
        string name = Encoding.ASCII.GetString(data, nameAt, nameSize);
        if (complex) throw new DataFormatException(path, $"variable '{name}' is complex; only real arrays are supported");
        var (realType, realSize, realAt) = ReadTag(data, ref pos, path);
        int elementSize = MatArray.ElementSize(realType);
        if (elementSize == 0) throw new DataFormatException(path, $"variable '{name}' has unsupported element type {realType}");
        long count = dims.Aggregate(1L, (a, d) => a * d);
        if (realSize != count * elementSize || pos > end + 8)
            throw new DataFormatException(path, $"variable '{name}' holds {realSize} bytes but its dimensions [{string.Join("x", dims)}] need {count * elementSize}");
        result[name] = new MatArray(name, dims, realType, data.AsSpan(realAt, realSize).ToArray());
    }
}

/// <summary>Writes MATLAB v5 files with real numeric arrays (for tests and exports).</summary>
public static class MatV5Writer
{
    public static void Write(string path, IEnumerable<MatArray> arrays, bool compress)
    {
        using var file = File.Create(path);
        var header = new byte[128];
        Encoding.ASCII.GetBytes("MATLAB 5.0 MAT-file, written by Mnemo".PadRight(116)).CopyTo(header, 0);
        header[124] = 0x00; header[125] = 0x01; header[126] = (byte)'I'; header[127] = (byte)'M';
        file.Write(header);
        foreach (var array in arrays)
        {
            var matrix = MatrixElement(array);
            if (!compress) { file.Write(matrix); continue; }
            using var ms = new MemoryStream();
            using (var z = new ZLibStream(ms, CompressionLevel.Fastest, leaveOpen: true)) z.Write(matrix);
            var packed = ms.ToArray();
            WriteTag(file, 15, packed.Length);
            file.Write(packed);
        }
    }

    static byte[] MatrixElement(MatArray a)
    {
        using var body = new MemoryStream();
        int mxClass = a.ElementType switch
        {
            MatArray.MiDouble => 6, MatArray.MiSingle => 7, MatArray.MiInt8 => 8, MatArray.MiUInt8 => 9,
            MatArray.MiInt16 => 10, MatArray.MiUInt16 => 11, MatArray.MiInt32 => 12, MatArray.MiUInt32 => 13,
            MatArray.MiInt64 => 14, _ => 15,
        };
        WritePadded(body, MatArray.MiUInt32, BitConverter.GetBytes(mxClass).Concat(new byte[4]).ToArray());
        WritePadded(body, MatArray.MiInt32, a.Dimensions.SelectMany(BitConverter.GetBytes).ToArray());
        WritePadded(body, MatArray.MiInt8, Encoding.ASCII.GetBytes(a.Name));
        WritePadded(body, a.ElementType, a.Data);
        using var element = new MemoryStream();
        WriteTag(element, 14, (int)body.Length);
        body.Position = 0;
        body.CopyTo(element);
        return element.ToArray();
    }

    static void WritePadded(Stream s, int type, byte[] payload)
    {
        WriteTag(s, type, payload.Length);
        s.Write(payload);
        int pad = (8 - payload.Length % 8) % 8;
        s.Write(new byte[pad]);
    }

    static void WriteTag(Stream s, int type, int size)
    {
        s.Write(BitConverter.GetBytes(type));
        s.Write(BitConverter.GetBytes(size));
    }
}
