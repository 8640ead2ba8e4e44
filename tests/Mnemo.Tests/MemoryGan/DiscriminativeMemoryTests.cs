using Mnemo.MemoryGan;
using static TorchSharp.torch;

namespace Mnemo.Tests.MemoryGan;

[Trait("Category", TestTraits.KernelSensitive)]
public class DiscriminativeMemoryTests
{
    static DiscriminativeMemory Memory(int size = 16, int dim = 4, int k = 4, int emIterations = 1)
    {
        random.manual_seed(1);
        return new DiscriminativeMemory(size, dim, k, emIterations: emIterations);
    }

    [Fact]
    public void PosteriorSumsToOneAndMatchesTheDirectFormula()
    {
        using var m = Memory();
        m.Histogram.copy_(rand(16).add(0.1));
        using var q = randn(3, 4);
        using var posterior = m.Posterior(q);
        Assert.True(posterior.sum(1).sub(1).abs().max().item<float>() < 1e-5);
        var qn = DiscriminativeMemory.Normalize(q);
        for (int i = 0; i < 16; i++)
        {
            double direct = Math.Exp(qn[0].dot(m.Keys[i]).item<float>()) * (m.Histogram[i].item<float>() + 1e-8);
            double total = Enumerable.Range(0, 16).Sum(j => Math.Exp(qn[0].dot(m.Keys[j]).item<float>()) * (m.Histogram[j].item<float>() + 1e-8));
            Assert.Equal(direct / total, posterior[0, i].item<float>(), 5);
        }
    }

    [Fact]
    public void TopKLookupEqualsTheFullSumWhenKIsN()
    {
        using var m = Memory(size: 16, k: 16);
        m.Histogram.copy_(rand(16).add(0.1));
        using var q = randn(5, 4);
        using var full = m.Posterior(q).mul(m.Values.unsqueeze(0)).sum(1);
        using var lookup = m.RealProbability(q);
        Assert.True(full.sub(lookup).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void GradientsReachTheQueryButNotTheMemory()
    {
        using var m = Memory();
        using var q = randn(2, 4).requires_grad_(true);
        m.RealProbability(q).sum().backward();
        Assert.True(q.grad!.abs().sum().item<float>() > 0);
        Assert.False(m.Keys.requires_grad);
    }

    [Fact]
    public void QueryEqualToAKeyWithItsValueIsAbsorbedByEmAndMovesTheKeyTowardsIt()
    {
        using var m = Memory();
        m.Histogram.fill_(1.0);
        using var q = m.Keys[2].add(m.Keys[3].mul(0.3)).unsqueeze(0); // near slot 2 (real), not identical
        float before = DiscriminativeMemory.Normalize(q)[0].dot(m.Keys[2]).item<float>();
        var update = m.Update(q, ones(1));
        Assert.Equal(0, update.Replacements);
        Assert.Equal(1, update.EmUpdates);
        Assert.True(DiscriminativeMemory.Normalize(q)[0].dot(m.Keys[2]).item<float>() > before);
        Assert.Equal(0f, m.Ages[2].item<float>());
        Assert.True(m.Keys.norm(1).sub(1).abs().max().item<float>() < 1e-5); // keys stay unit-norm
    }

    [Fact]
    public void ValueMismatchedQueryReplacesExactlyTheOldestSlot()
    {
        using var m = Memory(size: 8, k: 2);
        m.Values.copy_(ones(8));                 // every slot says "real"
        m.Ages.copy_(tensor(new float[] { 3, 9, 1, 0, 4, 2, 7, 5 }));
        using var q = randn(1, 4);
        using var keysBefore = m.Keys.clone();
        var update = m.Update(q, zeros(1));     // a fake query: no slot has its value
        Assert.Equal(1, update.Replacements);
        Assert.Equal(0f, m.Values[1].item<float>());
        Assert.True(m.Keys[1].sub(DiscriminativeMemory.Normalize(q)[0]).abs().max().item<float>() < 1e-6);
        Assert.Equal(0f, m.Ages[1].item<float>());
        for (int i = 0; i < 8; i++)
            if (i != 1) Assert.True(m.Keys[i].allclose(keysBefore[i]));
        Assert.Equal(10f, m.Ages[0].item<float>() + 6); // everyone else aged by one (3 → 4)
    }

    [Fact]
    public void RealSlotsAreSampledInProportionToTheirUse()
    {
        using var m = Memory(size: 8, k: 2);
        m.Histogram.copy_(tensor(new float[] { 3, 1, 0, 0, 100, 100, 100, 100 })); // slots 4..7 are fake-valued
        using var slots = m.SampleRealSlots(4000);
        var counts = slots.data<long>().GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(counts.Keys.All(s => s < 2));
        Assert.InRange(counts[0] / 4000.0, 0.7, 0.8);
    }

    [Fact]
    public void AMemoryWithoutRealSlotsStillDrawsSlots()
    {
        using var m = Memory(size: 8, k: 2);
        m.Values.zero_(); // every slot fake-valued, as fake queries can leave a small memory
        using var slots = m.SampleRealSlots(800);
        var counts = slots.data<long>().GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(8, counts.Count); // uniform over all slots: each of the 8 drawn
        m.Values[3].fill_(1);
        m.Histogram.zero_(); // a real slot without use
        using var real = m.SampleRealSlots(50);
        Assert.All(real.data<long>().ToArray(), s => Assert.Equal(3, s));
    }
}
