using Mnemo.Networks;
using static TorchSharp.torch;

namespace Mnemo.Tests.Networks;

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

    [Fact]
    public void GroupedGenerationEqualsSeparateCalls()
    {
        random.manual_seed(2);
        using var g = new MerganGenerator(16, 3, 1, dim: 8);
        using var z = randn(8, 16);
        using var labels = tensor(new long[] { 0, 0, 0, 0, 2, 2, 2, 2 });
        using var grouped = g.Generate(z, labels, groups: 2);
        using var first = g.forward(z.narrow(0, 0, 4), labels.narrow(0, 0, 4));
        using var second = g.forward(z.narrow(0, 4, 4), labels.narrow(0, 4, 4));
        Assert.True(grouped.allclose(cat(new[] { first, second }), rtol: 1e-4, atol: 1e-5));
        using var mixed = g.forward(z, labels);
        Assert.False(mixed.allclose(grouped, rtol: 1e-4, atol: 1e-5)); // one batch mixes the statistics
    }

    [Fact]
    public void ResNetGeneratorGroupedGenerationEqualsSeparateCallsAndDependsOnTheClass()
    {
        random.manual_seed(3);
        using var g = new MerganResNetGenerator(16, 3, 3, dim: 4);
        using var z = randn(6, 16);
        using var labels = tensor(new long[] { 0, 0, 0, 2, 2, 2 });
        using var grouped = g.Generate(z, labels, groups: 2);
        using var first = g.forward(z.narrow(0, 0, 3), labels.narrow(0, 0, 3));
        using var second = g.forward(z.narrow(0, 3, 3), labels.narrow(0, 3, 3));
        Assert.True(grouped.allclose(cat(new[] { first, second }), rtol: 1e-4, atol: 1e-5));
        // The class is a one-hot input: same z, other class, other image.
        using var other = g.forward(z.narrow(0, 0, 3), full(3, 1L, dtype: ScalarType.Int64));
        Assert.False(other.allclose(first, rtol: 1e-3, atol: 1e-4));
    }

    [Fact]
    public void ResNetCriticScoresEachImageOnItsOwnAndBackpropagatesToItsInput()
    {
        // Layer norm, not batch norm: an image's critic value must not depend on the rest of the batch, or the
        // gradient penalty would be wrong.
        random.manual_seed(4);
        using var d = new ResNetAcganCritic(5, 3, dim: 4);
        using var x = randn(4, 3, 64, 64).requires_grad_(true);
        var (batch, logits) = d.forward(x);
        var (alone, _) = d.forward(x.narrow(0, 1, 1));
        Assert.Equal(new long[] { 4, 5 }, logits.shape);
        Assert.True(alone.allclose(batch.narrow(0, 1, 1), rtol: 1e-4, atol: 1e-5));
        var grad = autograd.grad(new[] { batch.sum() }, new[] { x })[0];
        Assert.Equal(x.shape, grad.shape);
        Assert.True(grad.abs().sum().item<float>() > 0);
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
        Assert.True(perImageMean.abs().max().item<float>() < 1e-4);
        Assert.True(perImageStd.sub(1).abs().max().item<float>() < 1e-3);
    }

    [Fact]
    public void ConditionalBatchNormStartsAsPlainBatchNormAndDependsOnClass()
    {
        using var norm = new ConditionalBatchNorm2d("bn", 4, 3);
        using var x = randn(8, 4, 2, 2).mul(3).add(5);
        using var y = norm.forward(x, zeros(8, dtype: ScalarType.Int64));
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
