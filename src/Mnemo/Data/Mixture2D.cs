using static TorchSharp.torch;

namespace Mnemo.Data;

/// <summary>
/// The 2-D Gaussian mixtures of the mode-collapse benchmarks, as in the Self-Conditioned GAN code (2d_mix/inputs.py):
/// ring = 8 Gaussians at angles 2πk/8 on a circle of radius 2 (x = 2 sin θ, y = 2 cos θ), std 0.01 (variance 1e-4);
/// grid = 25 Gaussians at (2i − 4, 2j − 4), i, j ∈ 0..4, std 0.05 (variance 0.0025).
/// </summary>
public sealed record Mixture2D(string Name, double[,] Means, double Std)
{
    public int Modes => Means.GetLength(0);

    public static Mixture2D Ring(double radius = 2)
    {
        var means = new double[8, 2];
        for (int k = 0; k < 8; k++)
        {
            double theta = 2 * Math.PI * k / 8;
            means[k, 0] = radius * Math.Sin(theta);
            means[k, 1] = radius * Math.Cos(theta);
        }
        return new Mixture2D("ring", means, 0.01);
    }

    public static Mixture2D Grid()
    {
        var means = new double[25, 2];
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) { means[i * 5 + j, 0] = 2 * i - 4; means[i * 5 + j, 1] = 2 * j - 4; }
        return new Mixture2D("grid", means, 0.05);
    }

    public static Mixture2D ByName(string name) => name switch
    {
        "ring" => Ring(),
        "grid" => Grid(),
        _ => throw new MnemoException($"unknown 2-D dataset '{name}'; choose ring or grid"),
    };

    /// <summary>N points (float32 N×2) with their mode index, modes chosen uniformly.</summary>
    public (Tensor Points, long[] Modes) Sample(int n, Random rng)
    {
        var points = new float[n * 2];
        var modes = new long[n];
        for (int i = 0; i < n; i++)
        {
            int k = rng.Next(Modes);
            modes[i] = k;
            points[2 * i] = (float)(Means[k, 0] + Std * Gaussian(rng));
            points[2 * i + 1] = (float)(Means[k, 1] + Std * Gaussian(rng));
        }
        return (tensor(points).view(n, 2), modes);
    }

    static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
