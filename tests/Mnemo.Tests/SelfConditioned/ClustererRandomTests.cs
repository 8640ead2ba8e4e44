using Mnemo.Networks;
using Mnemo.SelfConditioned;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Tests.SelfConditioned;

/// <summary>Issue 18 G: the clusterer's random source is part of the checkpoint.</summary>
[Collection(GlobalTorchRng.Name)]
public class ClustererRandomTests
{
    [Fact]
    public void TheRandomSourceContinuesFromASavedState()
    {
        var a = new CheckpointableRandom(5);
        for (int i = 0; i < 10; i++) a.NextDouble();
        var b = new CheckpointableRandom(99);
        b.Restore(a.State);
        Assert.Equal(Enumerable.Range(0, 20).Select(_ => a.NextInt64(1000)), Enumerable.Range(0, 20).Select(_ => b.NextInt64(1000)));
        Assert.Equal(a.NextDouble(), b.NextDouble());
        Assert.Throws<ArgumentException>(() => b.Restore(new long[4]));
    }

    [Fact]
    public void BoundedDrawsStayInRangeAndCoverIt()
    {
        var rng = new CheckpointableRandom(1);
        var seen = new int[7];
        for (int i = 0; i < 7000; i++) seen[rng.Next(7)]++;
        Assert.All(seen, c => Assert.InRange(c, 850, 1150)); // 1000 expected each; ±15 % is > 4 standard deviations
        Assert.All(Enumerable.Range(0, 1000).Select(_ => rng.NextDouble()), d => Assert.InRange(d, 0.0, 0.9999999999));
        Assert.All(Enumerable.Range(0, 1000).Select(_ => rng.NextInt64(-3, 4)), v => Assert.InRange(v, -3L, 3L));
    }

    /// <summary>
    /// 100 cluster samples that are only 10 distinct points, clustered into 20: k-means++ must pick duplicate centres,
    /// Lloyd's empty clusters are reseeded at random points, and every re-clustering finds starved clusters to reseed.
    /// A clusterer restored from a checkpoint taken after the first clustering must then re-cluster exactly as the
    /// uninterrupted one — and differs when its random state is not restored (so the test can fail).
    /// </summary>
    [Fact]
    public void AResumeAcrossStarvedClusterReseedsMatchesAnUninterruptedClusterer()
    {
        using var dir = new TempDir();
        var rng = new Random(4);
        var distinct = Enumerable.Range(0, 10).SelectMany(_ => new[] { (float)rng.NextDouble() * 4, (float)rng.NextDouble() * 4 }).ToArray();
        using var samples = tensor(Enumerable.Range(0, 100).SelectMany(i => distinct.Skip(2 * (i % 10)).Take(2)).ToArray()).view(100, 2);
        const int k = 20;
        ClusterConditionalDiscriminator NewD(int seed) { random.manual_seed(seed); return new Mlp2DDiscriminator(k); }
        using var d0 = NewD(1);
        using var d1 = NewD(2);
        using var d2 = NewD(3);

        using var whole = new Clusterer(samples, k, () => NewD(9), seed: 23);
        whole.Cluster(d0, 0);
        whole.Cluster(d1, 1);
        whole.Cluster(d2, 2);

        long[] mapping, labels;
        using (var first = new Clusterer(samples, k, () => NewD(9), seed: 23))
        {
            first.Cluster(d0, 0);
            (mapping, labels) = (first.Mapping, first.SampleLabels);
            var checkpoint = new Checkpoint("test", 0, "clusterer");
            checkpoint.AddTensor("centers", first.Centers);
            checkpoint.AddModule("snapshot", first.Snapshot);
            first.SaveRandomState(checkpoint);
            checkpoint.Save(dir.File("c.ckpt"));
        }
        Tensor ResumedCentres(bool restoreRandom)
        {
            var saved = Checkpoint.Load(dir.File("c.ckpt"));
            using var resumed = new Clusterer(samples, k, () => NewD(9), seed: 23);
            resumed.Restore(saved.LoadTensor("centers"), mapping, labels, d => saved.LoadModule("snapshot", d));
            if (restoreRandom) resumed.RestoreRandomState(saved);
            resumed.Cluster(d1, 1);
            resumed.Cluster(d2, 2);
            return resumed.Centers.clone();
        }
        using var restored = ResumedCentres(restoreRandom: true);
        Assert.True(restored.eq(whole.Centers).all().item<bool>(), "restored clusterer re-clustered differently");
        using var fresh = ResumedCentres(restoreRandom: false);
        Assert.False(fresh.eq(whole.Centers).all().item<bool>(), "the reseeds did not depend on the random state: the test proves nothing");
    }
}
