namespace Mnemo.Data.Readers;

/// <summary>Reads SVHN's cropped-digit files (train_32x32.mat, test_32x32.mat): X is 32×32×3×N uint8, y is N×1 with 10 meaning digit 0.</summary>
public static class SvhnReader
{
    public static (byte[] Pixels, byte[] Labels) Read(string path)
    {
        var vars = MatV5Reader.Read(path);
        if (!vars.TryGetValue("X", out var x) || !vars.TryGetValue("y", out var y))
            throw new DataFormatException(path, "expected variables 'X' and 'y' (SVHN cropped digits format)");
        if (x.Dimensions.Length != 4 || x.Dimensions[0] != 32 || x.Dimensions[1] != 32 || x.Dimensions[2] != 3)
            throw new DataFormatException(path, $"'X' has shape [{string.Join("x", x.Dimensions)}], expected 32x32x3xN");
        if (x.ElementType != MatArray.MiUInt8) throw new DataFormatException(path, "'X' must be uint8");
        int n = x.Dimensions[3];
        if (y.ElementCount != n) throw new DataFormatException(path, $"'y' has {y.ElementCount} labels for {n} images");

        // MATLAB is column-major: X[h, w, c, i] sits at h + 32*(w + 32*(c + 3*i)). Mnemo wants i, c, h, w.
        var pixels = new byte[n * 3072];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < 3; c++)
                for (int w = 0; w < 32; w++)
                {
                    int src = 32 * (w + 32 * (c + 3 * i));
                    int dst = i * 3072 + c * 1024 + w;
                    for (int h = 0; h < 32; h++) pixels[dst + h * 32] = x.Data[src + h];
                }
        var labels = new byte[n];
        for (int i = 0; i < n; i++)
        {
            double v = y[i];
            if (v < 0 || v > 10 || v != Math.Floor(v)) throw new DataFormatException(path, $"label {i} is {v}, expected an integer 1..10");
            labels[i] = (byte)(v == 10 ? 0 : v);
        }
        return (pixels, labels);
    }
}
