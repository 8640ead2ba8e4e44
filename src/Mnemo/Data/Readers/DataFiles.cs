namespace Mnemo.Data.Readers;

internal static class DataFiles
{
    public static byte[] ReadAll(string path, string whatToDo)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, $"file not found. {whatToDo}");
        return File.ReadAllBytes(path);
    }

    public static int BigEndianInt32(byte[] data, int offset, string path)
    {
        if (offset + 4 > data.Length) throw new DataFormatException(path, "file is truncated (header ends early)");
        return (data[offset] << 24) | (data[offset + 1] << 16) | (data[offset + 2] << 8) | data[offset + 3];
    }
}
