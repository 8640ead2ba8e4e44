using MathNet.Numerics.LinearAlgebra;
using Mnemo.Evaluation;
using Mnemo.Networks;
using static TorchSharp.torch;

namespace Mnemo.Tests.Evaluation;

/// <summary>Issue 18 E: the Inception Score's logits, the statistics cache key and KID's settings follow the
/// reference tools (torch-fidelity, the original TF code).</summary>
[Collection(GlobalTorchRng.Name)]
public class ReferenceDefinitionTests
{
    [Fact]
    public void InceptionLogitsForTheScoreAreWithoutTheFinalBias()
    {
        random.manual_seed(8);
        using var net = new FidInceptionV3();
        using (no_grad())
        {
            // A large, uneven bias: the score of biased logits would differ clearly.
            net.get_parameter("fc.bias")!.copy_(linspace(-3, 3, FidInceptionV3.LogitCount));
        }
        using var images = rand(2, 3, 32, 32).mul(2).sub(1);
        using var features = new InceptionFeatures(net, "inception:test");
        var (f, logits) = features.Extract(images);
        using var weight = net.get_parameter("fc.weight")!.detach().to_type(ScalarType.Float64);
        using var expected = FrechetDistance.ToTensor(f).matmul(weight.t()); // features_2048 @ fc.weight.T
        var values = expected.data<double>().ToArray();
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < FidInceptionV3.LogitCount; j += 97)
                Assert.Equal(values[i * FidInceptionV3.LogitCount + j], logits[i, j], 4);
        using (no_grad())
        {
            var (_, biased) = net.forward(images);
            Assert.True(Math.Abs(biased[0, FidInceptionV3.LogitCount - 1].item<float>() - logits[0, FidInceptionV3.LogitCount - 1]) > 2.9);
        }
    }

    [Fact]
    public void CachedStatisticsAreKeyedByTheWeightsContentNotTheirName()
    {
        using var dir = new TempDir();
        random.manual_seed(1);
        using var first = new DigitClassifier(10, 1, 32);
        using var second = new DigitClassifier(10, 1, 32);
        Assert.Equal(WeightsDigest.Of(first), WeightsDigest.Of(first));
        Assert.NotEqual(WeightsDigest.Of(first), WeightsDigest.Of(second));

        var stats = new[] { One(1.0), One(2.0) };
        int computed = 0;
        GaussianStatistics Get(nn.Module m, int which) =>
            StatisticsCache.GetOrCompute(dir.Path, new StatisticsKey("classifier:mnist", WeightsDigest.Of(m), "mnist"), () => { computed++; return stats[which]; });
        Assert.Equal(1.0, Get(first, 0).Mean[0]);
        Assert.Equal(1.0, Get(first, 1).Mean[0]); // cached: the same weights
        Assert.Equal(1, computed);
        Assert.Equal(2.0, Get(second, 1).Mean[0]); // same name, other weights: recomputed
        Assert.Equal(2, computed);
    }

    static GaussianStatistics One(double value) =>
        new(Vector<double>.Build.Dense(1, value), Matrix<double>.Build.Dense(1, 1, 1.0), 10);

    [Fact]
    public void KidRefusesSubsetsLargerThanASetLikeTorchFidelity()
    {
        var x = new double[60, 4];
        var e = Assert.Throws<MnemoException>(() => KernelInceptionDistance.Compute(x, x));
        Assert.Contains("subset size 1000", e.Message);
        Assert.Contains("--kid-subset-size", e.Message);
        Assert.Throws<MnemoException>(() => KernelInceptionDistance.Compute(x, x, subsets: 0, subsetSize: 10));
    }
}
