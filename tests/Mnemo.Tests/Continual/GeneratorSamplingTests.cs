using Mnemo.Continual;
using static TorchSharp.torch;

namespace Mnemo.Tests.Continual;

public class GeneratorSamplingTests
{
    [Fact]
    public void ASingleClassGroupIsGeneratedAsBeforeAndAMixedGroupGivesEachClassItsCount()
    {
        var options = ToyRuns.Options("jt", 1);
        using var models = new MerganModels(options, 10, 1);
        random.manual_seed(1);
        using var alone = GeneratorSampling.SampleClass(models, 2, 70, options.ZDim);
        random.manual_seed(1);
        var single = GeneratorSampling.SampleClasses(models, new[] { new[] { 2 } }, 70);
        Assert.True(alone.eq(single[2]).all().item<bool>()); // the same code path and draws: identical

        var mixed = GeneratorSampling.SampleClasses(models, new[] { new[] { 0, 1, 2 }, new[] { 5 } }, 70);
        Assert.Equal(new[] { 0, 1, 2, 5 }, mixed.Keys.Order().ToArray());
        foreach (var images in mixed.Values) Assert.Equal(new long[] { 70, 1, 32, 32 }, images.shape);
        // Three classes share each batch of 64 (22, 21, 21 images), so class 0's images are not class 5's.
        Assert.False(mixed[0].allclose(mixed[5]));
        foreach (var t in single.Values.Concat(mixed.Values)) t.Dispose();
    }
}
