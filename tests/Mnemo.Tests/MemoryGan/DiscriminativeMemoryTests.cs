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

    [Theory]
    [InlineData(HistogramUpdate.Official)]
    [InlineData(HistogramUpdate.Paper)]
    public void EmRaisesTheHistogramOfThePoolAsTheChosenUpdateSays(HistogramUpdate rule)
    {
        random.manual_seed(1);
        using var m = new DiscriminativeMemory(16, 4, 4, histogramUpdate: rule);
        m.Histogram.fill_(1.0);
        using var before = m.Histogram.clone();
        using var q = m.Keys[2].add(m.Keys[3].mul(0.3)).unsqueeze(0); // a real query near slot 2
        Assert.Equal(1, m.Update(q, ones(1)).EmUpdates);
        using var changed = m.Histogram.ne(before).nonzero().view(-1);
        Assert.Equal(4, changed.shape[0]); // the k = 4 pool slots, all real-valued
        using var pool = m.Histogram.index_select(0, changed);
        if (rule == HistogramUpdate.Official)
            // memory.py: ĥ = αh plus the pool's total posterior (1) on every pool slot: 0.5 + 1.
            Assert.True(pool.sub(1.5).abs().max().item<float>() < 1e-5);
        else
        {
            // The paper: each slot αh + its own posterior, so the pool's total is 4·0.5 + 1 and the slots differ.
            Assert.Equal(3.0, pool.sum().item<float>(), 4);
            Assert.True(pool.max().item<float>() - pool.min().item<float>() > 1e-3);
        }
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
    public void QueryWhoseMostProbableSlotHasTheOtherValueReplacesEvenWithAMatchingSlotAmongTheKNearest()
    {
        using var m = Memory(size: 4, dim: 2, k: 4);
        m.Keys.copy_(tensor(new float[] { 1, 0, 0, 1, -1, 0, 0, -1 }).view(4, 2));
        m.Values.copy_(tensor(new float[] { 0, 1, 1, 1 }));      // the slot nearest the query is fake-valued
        m.Histogram.copy_(ones(4));
        m.Ages.copy_(tensor(new float[] { 0, 1, 5, 2 }));
        var update = m.Update(tensor(new float[] { 0.9f, 0.1f }).view(1, 2), ones(1)); // a real query next to slot 0
        Assert.Equal(1, update.Replacements);                      // slots 1..3 (real) are among its k = 4 nearest
        Assert.Equal(0, update.EmUpdates);
        Assert.Equal(1f, m.Values[2].item<float>());                // the oldest slot took the query
        Assert.Equal(0f, m.Values[0].item<float>());

        update = m.Update(tensor(new float[] { 0.1f, 0.9f }).view(1, 2), ones(1)); // nearest slot 1 is real: EM
        Assert.Equal((0, 1), (update.Replacements, update.EmUpdates));
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

    [Fact]
    public void SamplingConcentrationCountsEffectiveSlotsOfTheDrawDistribution()
    {
        using var m = Memory(size: 8, k: 2); // slots 0..3 real, 4..7 fake
        m.Histogram.copy_(tensor(new float[] { 1, 1, 1, 1, 50, 50, 50, 50 }));
        var (uniform, top) = m.SamplingConcentration();
        Assert.Equal(4, uniform, 4); // four equally drawn real slots; fake slots are never drawn
        Assert.Equal(0.25, top, 5); // the top 1 % is one slot
        m.Histogram.copy_(tensor(new float[] { 1, 0, 0, 0, 50, 50, 50, 50 }));
        Assert.Equal((1.0, 1.0), m.SamplingConcentration());
    }

    [Fact]
    public void TheNonSaturatingGeneratorLossKeepsItsGradientWhenTheDiscriminatorWins()
    {
        using var d = tensor(new[] { 0.5f, 0.01f }).requires_grad_(true);
        using var saturating = GeneratorLoss.Saturating.Of(d);
        Assert.Equal((Math.Log(0.5) + Math.Log(0.99)) / 2, saturating.item<float>(), 5);
        saturating.backward();
        float weak = d.grad![1].item<float>();           // −1/(1 − 0.01)/2 ≈ −0.505
        d.grad.zero_();
        using var nonSaturating = GeneratorLoss.NonSaturating.Of(d);
        Assert.Equal(-(Math.Log(0.5) + Math.Log(0.01)) / 2, nonSaturating.item<float>(), 5);
        nonSaturating.backward();
        float strong = d.grad![1].item<float>();         // −1/0.01/2 = −50
        Assert.True(strong < 0 && weak < 0);             // both push D(G(z)) up
        Assert.True(Math.Abs(strong) > 50 * Math.Abs(weak) * 0.99);
    }
}
