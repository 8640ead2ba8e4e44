namespace Mnemo.Data.Readers;

/// <summary>Reads CIFAR-10 binary batches: records of 1 label byte + 3072 pixel bytes (R, G, B planes of 32×32).</summary>
public static class Cifar10BinaryReader
{
    public const int RecordSize = 1 + 3 * 32 * 32;
    public static readonly string[] ClassNames =
        { "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck" };

    public static (byte[] Pixels, byte[] Labels) ReadBatch(string path)
    {
        var data = DataFiles.ReadAll(path, "Point --root at the folder holding CIFAR-10's binary batches (cifar-10-batches-bin).");
        if (data.Length == 0 || data.Length % RecordSize != 0)
            throw new DataFormatException(path, $"size {data.Length} is not a multiple of the {RecordSize}-byte CIFAR-10 record; the file is truncated or not a CIFAR-10 binary batch");
        int n = data.Length / RecordSize;
        var pixels = new byte[n * (RecordSize - 1)];
        var labels = new byte[n];
        for (int i = 0; i < n; i++)
        {
            byte label = data[i * RecordSize];
            if (label > 9) throw new DataFormatException(path, $"record {i} has label {label}, outside 0..9");
            labels[i] = label;
            Buffer.BlockCopy(data, i * RecordSize + 1, pixels, i * (RecordSize - 1), RecordSize - 1);
        }
        return (pixels, labels);
    }
}
