using Mnemo.Data;
using static TorchSharp.torch;

namespace Mnemo.Tests;

/// <summary>Small, easy image classes for real training runs in tests: class c is a bright 8×8 square at one of
/// ten well-separated places of a 32×32 image, jittered by up to 2 pixels, with a little noise.</summary>
public static class SyntheticData
{
    public static ImageDataset Squares(int classes, int perClass, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[classes * perClass * 32 * 32];
        var labels = new long[classes * perClass];
        for (int c = 0; c < classes; c++)
            for (int i = 0; i < perClass; i++)
            {
                int n = c * perClass + i;
                labels[n] = c;
                int top = 3 + (c / 5) * 16 + rng.Next(-2, 3), left = 2 + (c % 5) * 6 + rng.Next(-1, 2);
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++)
                    {
                        bool inside = y >= top && y < top + 8 && x >= left && x < left + 4;
                        pixels[n * 1024 + y * 32 + x] = (byte)(inside ? 230 + rng.Next(25) : rng.Next(20));
                    }
            }
        return new ImageDataset("squares", tensor(pixels).reshape(classes * perClass, 1, 32, 32), labels, DatasetCatalog.DigitNames);
    }

    public static DatasetSplit SquaresSplit(int classes, int perClass = 200, int seed = 1) =>
        new(Squares(classes, perClass, seed), Squares(classes, perClass / 4, seed + 100));

    /// <summary>The squares at 64×64 in three channels (each pixel doubled), for the 64×64 networks.</summary>
    public static DatasetSplit Squares64Split(int classes, int perClass, int seed = 1)
    {
        static ImageDataset Enlarge(ImageDataset small)
        {
            using var big = small.Pixels.repeat_interleave(2, 2).repeat_interleave(2, 3);
            var pixels = big.expand(-1, 3, -1, -1).contiguous();
            var result = new ImageDataset("squares64", pixels, small.Labels, small.ClassNames);
            small.Dispose();
            return result;
        }
        var small = SquaresSplit(classes, perClass, seed); // same train/test split as the 32×32 squares
        return new(Enlarge(small.Train), Enlarge(small.Test));
    }
}
