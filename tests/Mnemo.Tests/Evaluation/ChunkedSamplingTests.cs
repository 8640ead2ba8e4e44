using Mnemo.Evaluation;
using Mnemo.Networks;
using static TorchSharp.torch;

namespace Mnemo.Tests.Evaluation;

[Trait("Category", TestTraits.KernelSensitive)]
public class ChunkedSamplingTests
{
    [Fact]
    public void SlicedGeneratorInEvaluationModeGivesTheSamplesOfOneCall()
    {
        random.manual_seed(3);
        using var generator = new DcganGenerator(5, 3, 16, 8);
        generator.eval();
        using var _ = no_grad();
        using var z = randn(23, 16);
        using var y = randint(0, 5, 23, dtype: ScalarType.Int64);
        using var whole = generator.forward(z, y);
        using var sliced = ChunkedSampling.Sliced(z, y, 10, generator.forward); // 10 + 10 + 3
        Assert.Equal(whole.shape, sliced.shape);
        Assert.True(whole.allclose(sliced, rtol: 1e-4, atol: 1e-5));
        Assert.Throws<ArgumentException>(() => ChunkedSampling.Sliced(z, y.narrow(0, 0, 5), 10, generator.forward));
    }
}
