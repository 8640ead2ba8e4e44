using static TorchSharp.torch;

namespace Mnemo.Bench;

/// <summary>What this machine's libtorch reaches on large dense work at the bench's thread count — a 2048² matrix
/// product, and a large 3×3 convolution counted as direct convolution (libtorch may use a cheaper algorithm for 3×3,
/// so this rate can exceed the hardware peak) — as the yardstick for the models' GFLOP/s.</summary>
public static class MachinePeak
{
    public static void Print(BenchOptions bench)
    {
        using var _ = no_grad();
        using var a = randn(2048, 2048);
        using var b = randn(2048, 2048);
        double matmul = 2.0 * 2048 * 2048 * 2048 / Timing.Median(() => a.matmul(b).Dispose(), 2, 5) / 1e9;
        using var x = randn(32, 128, 32, 32);
        using var conv = nn.Conv2d(128, 128, 3, padding: 1);
        double convFlops = 2.0 * 32 * 128 * 128 * 9 * 32 * 32;
        double convRate = convFlops / Timing.Median(() => conv.forward(x).Dispose(), 2, 5) / 1e9;
        using var a16 = a.to(ScalarType.BFloat16);
        using var b16 = b.to(ScalarType.BFloat16);
        double matmulBf16 = 2.0 * 2048 * 2048 * 2048 / Timing.Median(() => a16.matmul(b16).Dispose(), 2, 5) / 1e9;
        Console.WriteLine($"machine yardstick at {bench.Threads} threads: matmul 2048² {matmul:0.0} GFLOP/s float32, {matmulBf16:0.0} GFLOP/s bfloat16; conv 3×3 128→128 on 32×32×32 {convRate:0.0} GFLOP/s");
    }
}
