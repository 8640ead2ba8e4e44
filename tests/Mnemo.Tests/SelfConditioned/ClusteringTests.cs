using Mnemo.SelfConditioned;
using static TorchSharp.torch;

namespace Mnemo.Tests.SelfConditioned;

[Trait("Category", TestTraits.KernelSensitive)]
public class ClusteringTests
{
    [Fact]
    public void KMeansFindsPlantedClusters()
    {
        var rng = new Random(1);
        var centres = new[] { (0.0, 0.0), (10.0, 0.0), (0.0, 10.0), (10.0, 10.0) };
        var points = new float[400 * 2];
        var truth = new int[400];
        for (int i = 0; i < 400; i++)
        {
            truth[i] = i % 4;
            points[2 * i] = (float)(centres[i % 4].Item1 + rng.NextDouble() - 0.5);
            points[2 * i + 1] = (float)(centres[i % 4].Item2 + rng.NextDouble() - 0.5);
        }
        using var x = tensor(points).view(400, 2);
        var kmeans = KMeans.Fit(x, 4, new Random(2));
        var labels = kmeans.Predict(x);
        // Every planted cluster maps to exactly one found cluster.
        var pairs = Enumerable.Range(0, 400).Select(i => (truth[i], labels[i])).Distinct().ToList();
        Assert.Equal(4, pairs.Count);
        Assert.Equal(4, pairs.Select(p => p.Item2).Distinct().Count());
        Assert.True(kmeans.Inertia < 400 * 0.2);
        // Started from the true centres, Lloyd keeps them.
        using var init = tensor(new float[] { 0, 0, 10, 0, 0, 10, 10, 10 }).view(4, 2);
        var refit = KMeans.FitFrom(x, init, new Random(3));
        Assert.True(refit.Centers.sub(init).abs().max().item<float>() < 0.2f);
    }

    [Fact]
    public void HungarianRecoversAKnownPermutation()
    {
        int[] permutation = { 3, 0, 4, 1, 2 };
        var cost = new double[5, 5];
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) cost[i, j] = j == permutation[i] ? 0 : 1 + i + j;
        Assert.Equal(permutation, Hungarian.Solve(cost));
    }

    [Fact]
    public void HungarianIsOptimalAgainstBruteForce()
    {
        var rng = new Random(4);
        for (int trial = 0; trial < 30; trial++)
        {
            int n = 1 + rng.Next(6), m = n + rng.Next(2);
            var cost = new double[n, m];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < m; j++) cost[i, j] = Math.Round(rng.NextDouble() * 20 - 5, 2);
            var assignment = Hungarian.Solve(cost);
            Assert.Equal(n, assignment.Distinct().Count());
            Assert.Equal(BruteForce(cost, 0, new bool[m]), Hungarian.Cost(cost, assignment), 9);
        }
    }

    static double BruteForce(double[,] cost, int row, bool[] used)
    {
        if (row == cost.GetLength(0)) return 0;
        double best = double.PositiveInfinity;
        for (int j = 0; j < cost.GetLength(1); j++)
        {
            if (used[j]) continue;
            used[j] = true;
            best = Math.Min(best, cost[row, j] + BruteForce(cost, row + 1, used));
            used[j] = false;
        }
        return best;
    }

    [Fact]
    public void MatchingMapsRelabelledClustersBackToTheirOldIds()
    {
        long[] previous = { 0, 0, 1, 1, 2, 2, 2 };
        long[] renamed = { 2, 2, 0, 0, 1, 1, 0 }; // new ids 2→0, 0→1, 1→2 (one sample moved)
        var mapping = Clusterer.Match(renamed, previous, 3);
        Assert.Equal(new long[] { 1, 2, 0 }, mapping);
    }
}
