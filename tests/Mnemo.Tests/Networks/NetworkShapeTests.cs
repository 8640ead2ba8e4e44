using Mnemo.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Tests.Networks;

[Trait("Category", TestTraits.KernelSensitive)]
public class NetworkShapeTests
{
    [Theory]
    [InlineData(32, 1)]
    [InlineData(32, 3)]
    [InlineData(64, 3)]
    public void GeneratorAndCriticHaveThePapersShapes(int size, int channels)
    {
        using var g = ConditionalGenerator.ForImageSize(128, 10, channels, size, dim: 8);
        using var d = ConditionalCritic.ForImageSize(10, channels, size, dim: 8);
        Assert.Equal(size == 32 ? typeof(MerganGenerator) : typeof(MerganResNetGenerator), g.GetType());
        Assert.Equal(size == 32 ? typeof(AcganCritic) : typeof(ResNetAcganCritic), d.GetType());
        using var z = randn(6, 128);
        using var labels = tensor(new long[] { 0, 1, 2, 3, 4, 5 });
        using var images = g.forward(z, labels);
        Assert.Equal(new long[] { 6, channels, size, size }, images.shape);
        Assert.True(images.abs().max().item<float>() <= 1f);
        var (critic, logits) = d.forward(images);
        Assert.Equal(new long[] { 6 }, critic.shape);
        Assert.Equal(new long[] { 6, 10 }, logits.shape);
    }

    /// <summary>
    /// Tolerance for "the same computation in another order" checks, which run in float64. Its unit roundoff is
    /// 1.1e-16; each output of these small nets is a chain of at most 4 reductions of at most K = 4·dim·25 = 800
    /// products (the 5×5 transposed convolutions at dim 8), and batch or layer norm divides by standard deviations of
    /// about 0.1 or more, so two summation orders (other kernels, other batch sizes) differ by at most about
    /// 4·K·u/0.1 ≈ 4e-12. 1e-9 leaves a wide margin for that, while a real difference — other batch statistics, another
    /// class — moves outputs by 1e-3 or more. In float32 (u = 6e-8) the same bound is about 2e-3, too close to those
    /// differences to tell them apart on every CPU, which is why these checks do not run in float32.
    /// </summary>
    const double Float64Tolerance = 1e-9;

    static bool Same(Tensor a, Tensor b) => a.allclose(b, rtol: 0, atol: Float64Tolerance);

    [Fact]
    public void GroupedGenerationEqualsSeparateCalls()
    {
        random.manual_seed(2);
        using var g = new MerganGenerator(16, 3, 1, dim: 8);
        g.to(ScalarType.Float64);
        using var z = randn(8, 16, dtype: ScalarType.Float64);
        using var labels = tensor(new long[] { 0, 0, 0, 0, 2, 2, 2, 2 });
        using var grouped = g.Generate(z, labels, groups: 2);
        using var first = g.forward(z.narrow(0, 0, 4), labels.narrow(0, 0, 4));
        using var second = g.forward(z.narrow(0, 4, 4), labels.narrow(0, 4, 4));
        Assert.True(Same(grouped, cat(new[] { first, second })));
        using var mixed = g.forward(z, labels);
        Assert.False(Same(mixed, grouped)); // one batch mixes the statistics
    }

    /// <summary>bfloat16 keeps 8 mantissa bits (unit roundoff u = 2⁻⁸ ≈ 3.9e-3); rounding the inputs and weights of
    /// three convolutions (accumulated in float32) moves the critic value by a few u relative to its norm (measured
    /// 2.8e-3), its weight gradients by several u (1.1e-2), and the gradients of a gradient-penalty term, whose
    /// double backward multiplies rounded factors once more, by about ten u (3.4e-2). The bounds (5u, 13u, 38u)
    /// leave room for other kernels' rounding; a wrong computation (another critic, a dropped layer) is off by ~100 %.</summary>
    [Fact]
    public void Bfloat16CriticMatchesFloat32WithinBfloat16PrecisionAndKeepsFloat32Gradients()
    {
        random.manual_seed(5);
        using var d = new AcganCritic(10, 1, dim: 8);
        using var x = randn(16, 1, 32, 32);
        (Tensor Score, Tensor Grad, Tensor PenaltyGrad) Run()
        {
            d.zero_grad();
            var (score, logits) = d.forward(x);
            score.sum().add(logits.sum()).backward();
            var grad = cat(d.parameters().Select(p => p.grad!.flatten()).ToArray());
            d.zero_grad();
            var input = x.detach().requires_grad_(true);
            var inputGrad = autograd.grad(new[] { d.forward(input).Critic.sum() }, new[] { input }, retain_graph: true, create_graph: true)[0];
            inputGrad.square().sum().backward(); // a gradient-penalty-like term: through the double backward
            var penaltyGrad = cat(d.parameters().Select(p => (p.grad ?? zeros_like(p)).flatten()).ToArray()); // the class head has none
            return (score.detach(), grad, penaltyGrad);
        }
        static double Relative(Tensor a, Tensor b) => a.sub(b).norm().item<float>() / b.norm().item<float>();
        var (score32, grad32, penalty32) = Run();
        d.ConvolutionType = ScalarType.BFloat16;
        var (score16, grad16, penalty16) = Run();
        Assert.Equal(ScalarType.Float32, score16.dtype);
        Assert.Equal(ScalarType.Float32, grad16.dtype);
        Assert.InRange(Relative(score16, score32), 0, 0.02);
        Assert.InRange(Relative(grad16, grad32), 0, 0.05);
        Assert.InRange(Relative(penalty16, penalty32), 0, 0.15);
        Assert.True(Relative(score16, score32) > 0); // the bfloat16 path really ran
    }

    [Fact]
    public void ResNetGeneratorGroupedGenerationEqualsSeparateCallsAndDependsOnTheClass()
    {
        random.manual_seed(3);
        using var g = new MerganResNetGenerator(16, 3, 3, dim: 4);
        g.to(ScalarType.Float64);
        using var z = randn(6, 16, dtype: ScalarType.Float64);
        using var labels = tensor(new long[] { 0, 0, 0, 2, 2, 2 });
        using var grouped = g.Generate(z, labels, groups: 2);
        using var first = g.forward(z.narrow(0, 0, 3), labels.narrow(0, 0, 3));
        using var second = g.forward(z.narrow(0, 3, 3), labels.narrow(0, 3, 3));
        Assert.True(Same(grouped, cat(new[] { first, second })));
        // The class is a one-hot input: same z, other class, other image.
        using var other = g.forward(z.narrow(0, 0, 3), full(3, 1L, dtype: ScalarType.Int64));
        Assert.False(Same(other, first));
    }

    [Fact]
    public void ResNetCriticScoresEachImageOnItsOwnAndBackpropagatesToItsInput()
    {
        // Layer norm, not batch norm: an image's critic value must not depend on the rest of the batch, or the
        // gradient penalty would be wrong.
        random.manual_seed(4);
        using var d = new ResNetAcganCritic(5, 3, dim: 4);
        d.to(ScalarType.Float64);
        using var x = randn(4, 3, 64, 64, dtype: ScalarType.Float64).requires_grad_(true);
        var (batch, logits) = d.forward(x);
        var (alone, _) = d.forward(x.narrow(0, 1, 1));
        Assert.Equal(new long[] { 4, 5 }, logits.shape);
        Assert.True(Same(alone, batch.narrow(0, 1, 1)));
        var grad = autograd.grad(new[] { batch.sum() }, new[] { x })[0];
        Assert.Equal(x.shape, grad.shape);
        Assert.True(grad.abs().sum().item<double>() > 0);
    }

    [Fact]
    public void ChannelLayerNormNormalisesEachImageWithAScalePerChannel()
    {
        using var norm = new ChannelLayerNorm("ln", 3);
        Assert.Equal(new long[] { 3 }, norm.parameters().First().shape);
        using var x = randn(2, 3, 4, 4).mul(4).add(7);
        using var y = norm.forward(x);
        using var perImageMean = y.mean(new long[] { 1, 2, 3 });
        using var perImageStd = y.std(new long[] { 1, 2, 3 }, unbiased: false);
        // Float32 bounds for n = 48 values of size ≤ 4 after normalising: the mean's rounding error is at most about
        // n·u·4 ≈ 1.2e-5 (u = 6e-8), the std's as much plus ε/(2σ²) = 1e-5/32 from the norm's ε: 1e-4 for both
        // leaves a margin of 8×, and a wrong axis or a missing division is off by 0.1 or more.
        Assert.True(perImageMean.abs().max().item<float>() < 1e-4);
        Assert.True(perImageStd.sub(1).abs().max().item<float>() < 1e-4);
    }

    [Fact]
    public void ConditionalBatchNormStartsAsPlainBatchNormAndDependsOnClass()
    {
        using var norm = new ConditionalBatchNorm2d("bn", 4, 3);
        using var x = randn(8, 4, 2, 2).mul(3).add(5);
        using var y = norm.forward(x, zeros(8, dtype: ScalarType.Int64));
        // As for the layer norm: 32 values per channel, float32 error at most about 32·u·4 ≈ 8e-6 ≪ 1e-4.
        Assert.True(y.mean(new long[] { 0, 2, 3 }).abs().max().item<float>() < 1e-4);
        using (no_grad()) norm.parameters().First().add_(1.0); // scale of every class +1
        using var y2 = norm.forward(x, zeros(8, dtype: ScalarType.Int64));
        Assert.True(y2.sub(y.mul(2)).abs().max().item<float>() < 1e-4);
    }

    [Fact]
    public void ClassifierFeaturesAndLogits()
    {
        using var c = new DigitClassifier(10, 1, 32);
        using var x = randn(5, 1, 32, 32);
        Assert.Equal(new long[] { 5, 10 }, c.forward(x).shape);
        Assert.Equal(new long[] { 5, DigitClassifier.FeatureSize }, c.Features(x).shape);
    }
}
