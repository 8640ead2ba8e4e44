namespace Mnemo.Data.Readers;

/// <summary>Reads the IDX format of the MNIST distribution (big-endian header, uint8 payload).</summary>
public static class IdxReader
{
    const int ImagesMagic = 0x00000803;
    const int LabelsMagic = 0x00000801;

    /// <summary>Returns the pixels (N×rows×cols, row-major) and the shape.</summary>
    public static (byte[] Pixels, int Count, int Rows, int Cols) ReadImages(string path)
    {
        var data = DataFiles.ReadAll(path, "Run `mnemo data fetch mnist` first.");
        int magic = DataFiles.BigEndianInt32(data, 0, path);
        if (magic != ImagesMagic) throw new DataFormatException(path, $"not an IDX image file (magic 0x{magic:x8}, expected 0x{ImagesMagic:x8})");
        int count = DataFiles.BigEndianInt32(data, 4, path);
        int rows = DataFiles.BigEndianInt32(data, 8, path);
        int cols = DataFiles.BigEndianInt32(data, 12, path);
        if (count < 0 || rows <= 0 || cols <= 0 || rows > 4096 || cols > 4096)
            throw new DataFormatException(path, $"implausible IDX dimensions {count}×{rows}×{cols}");
        long expected = 16L + (long)count * rows * cols;
        if (data.Length != expected)
            throw new DataFormatException(path, $"size {data.Length} bytes does not match its header ({count}×{rows}×{cols} needs {expected}); the file is truncated or corrupt, fetch it again");
        return (data[16..], count, rows, cols);
    }

    public static byte[] ReadLabels(string path)
    {
        var data = DataFiles.ReadAll(path, "Run `mnemo data fetch mnist` first.");
        int magic = DataFiles.BigEndianInt32(data, 0, path);
        if (magic != LabelsMagic) throw new DataFormatException(path, $"not an IDX label file (magic 0x{magic:x8}, expected 0x{LabelsMagic:x8})");
        int count = DataFiles.BigEndianInt32(data, 4, path);
        if (count < 0 || data.Length != 8L + count)
            throw new DataFormatException(path, $"size {data.Length} bytes does not match its header ({count} labels); the file is truncated or corrupt");
        return data[8..];
    }

    /// <summary>Writes IDX files (used by tests and by tools that export data).</summary>
    public static void WriteImages(string path, byte[] pixels, int count, int rows, int cols)
    {
        using var stream = File.Create(path);
        WriteInt(stream, ImagesMagic); WriteInt(stream, count); WriteInt(stream, rows); WriteInt(stream, cols);
        stream.Write(pixels);
    }

    public static void WriteLabels(string path, byte[] labels)
    {
        using var stream = File.Create(path);
        WriteInt(stream, LabelsMagic); WriteInt(stream, labels.Length);
        stream.Write(labels);
    }

    static void WriteInt(Stream s, int v)
    {
        s.WriteByte((byte)(v >> 24)); s.WriteByte((byte)(v >> 16)); s.WriteByte((byte)(v >> 8)); s.WriteByte((byte)v);
    }
}
