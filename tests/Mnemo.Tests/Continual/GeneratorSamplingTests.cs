using Mnemo.Continual;
using Mnemo.Training;
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
        using var alone = GeneratorSampling.SampleClass(models, 2, 70);
        random.manual_seed(1);
        using var single = GeneratorSampling.SampleClasses(models, new[] { new[] { 2 } }, 70, NullProgress.Instance);
        using var singleImages = single.OfClass(2);
        Assert.True(alone.eq(singleImages).all().item<bool>()); // the same code path and draws: identical

        using var mixed = GeneratorSampling.SampleClasses(models, new[] { new[] { 0, 1, 2 }, new[] { 5 } }, 70, NullProgress.Instance);
        Assert.Equal(new[] { 0, 1, 2, 5 }, mixed.Requested!.Classes);
        Assert.Equal(new long[] { 280, 1, 32, 32 }, mixed.Values.shape);
        Assert.Equal(new long[] { 0, 1, 2, 5 }, mixed.Conditions.Distinct().ToArray()); // class after class, in the groups' order
        using var zeros = mixed.OfClass(0);
        using var fives = mixed.OfClass(5);
        Assert.Equal(new long[] { 70, 1, 32, 32 }, zeros.shape);
        // Three classes share each batch of 64 (22, 21, 21 images), so class 0's images are not class 5's.
        Assert.False(zeros.allclose(fives));
    }

    [Fact]
    public void ProgressCountsGroupsAndEndsAtItsAnnouncedTotal()
    {
        var options = ToyRuns.Options("ra", 1);
        using var models = new MerganModels(options, 10, 1);
        var progress = new RecordingProgress();
        using var _ = GeneratorSampling.SampleClasses(models, new[] { new[] { 0, 1 }, new[] { 2, 3 } }, 8, progress);
        Assert.Equal(2, progress.Total);
        Assert.Equal(new long[] { 1, 2 }, progress.Done); // two-class groups: not 2 then 4 of 2 ("200 %")
    }
}
