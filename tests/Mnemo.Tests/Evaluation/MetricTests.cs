using MathNet.Numerics.LinearAlgebra;
using Mnemo.Evaluation;

namespace Mnemo.Tests.Evaluation;

public class MetricTests
{
    static GaussianStatistics Stats(double[] mean, double[,] cov) =>
        new(Vector<double>.Build.DenseOfArray(mean), Matrix<double>.Build.DenseOfArray(cov), 1000);

    [Fact]
    public void FidOfTwoKnownGaussians()
    {
        // Diagonal: |μ1−μ2|² + Σ (σ1 + σ2 − 2√(σ1σ2)).
        var a = Stats(new[] { 0.0, 1.0 }, new double[,] { { 4, 0 }, { 0, 1 } });
        var b = Stats(new[] { 3.0, 1.0 }, new double[,] { { 1, 0 }, { 0, 9 } });
        Assert.Equal(9 + (4 + 1 - 2 * 2) + (1 + 9 - 2 * 3), FrechetDistance.Compute(a, b), 9);
        // Correlated against identity: tr((Σ1)^½) = √3 + 1 for Σ1 = [[2,1],[1,2]] (eigenvalues 3 and 1).
        var c = Stats(new[] { 1.0, 1.0 }, new double[,] { { 2, 1 }, { 1, 2 } });
        var d = Stats(new[] { 0.0, 0.0 }, new double[,] { { 1, 0 }, { 0, 1 } });
        Assert.Equal(2 + 4 + 2 - 2 * (Math.Sqrt(3) + 1), FrechetDistance.Compute(c, d), 9);
        Assert.Equal(0, FrechetDistance.Compute(c, c), 9);
    }

    [Fact]
    public void FidIsStableForSingularCovariances()
    {
        // Features on a line in 3-D: both covariances have rank 1.
        double[,] Line(double offset)
        {
            var rng = new Random(1); // the same points along the line in both sets
            var f = new double[200, 3];
            for (int i = 0; i < 200; i++) { double t = rng.NextDouble(); f[i, 0] = t; f[i, 1] = 2 * t; f[i, 2] = offset; }
            return f;
        }
        var fid = FrechetDistance.Compute(Line(0), Line(0.5));
        Assert.True(double.IsFinite(fid) && fid >= 0);
        Assert.Equal(0.25, fid, 6); // the means differ by 0.5 in one coordinate; the spreads match
    }

    [Fact]
    public void SampleStatisticsUseUnbiasedCovariance()
    {
        var s = GaussianStatistics.FromFeatures(new double[,] { { 1, 0 }, { 3, 0 } });
        Assert.Equal(2, s.Mean[0]);
        Assert.Equal(2, s.Covariance[0, 0]); // ((1−2)² + (3−2)²) / (2 − 1)
    }

    [Fact]
    public void InceptionScoreOfKnownLogits()
    {
        var uniform = new double[20, 5];
        Assert.Equal(1, InceptionScore.FromLogits(uniform, 2).Mean, 9);
        // Confident, evenly spread predictions over 4 classes in every split: IS = 4.
        var confident = new double[40, 4];
        for (int i = 0; i < 40; i++) confident[i, i % 4] = 100;
        var (mean, std) = InceptionScore.FromLogits(confident, 10);
        Assert.Equal(4, mean, 6);
        Assert.Equal(0, std, 6);
        // p = (1, 0) and (0, 1): marginal (½, ½), KL = ln 2 each, IS = 2.
        Assert.Equal(2, InceptionScore.FromLogits(new double[,] { { 50, 0 }, { 0, 50 } }, 1).Mean, 6);
    }

    [Fact]
    public void KidMatchesTheFormulaOnATinyExample()
    {
        // k(a,b) = (ab/1 + 1)³; x = {0, 1}, y = {2, 3}.
        // Kxx off-diagonal: 2·1 / 2 = 1; Kyy: 2·343 / 2 = 343; Kxy: (1 + 1 + 27 + 64) / 4 = 23.25.
        var (kid, _) = KernelInceptionDistance.Compute(new double[,] { { 0 }, { 1 } }, new double[,] { { 2 }, { 3 } }, subsets: 3, subsetSize: 2);
        Assert.Equal(1 + 343 - 2 * 23.25, kid, 9);
        var rng = new Random(2);
        var same = new double[300, 4];
        for (int i = 0; i < 300; i++) for (int j = 0; j < 4; j++) same[i, j] = rng.NextDouble();
        Assert.True(Math.Abs(KernelInceptionDistance.Compute(same, same, subsets: 10, subsetSize: 100).Mean) < 0.01);
    }

    [Fact]
    public void PrecisionRecallOfIdenticalAndDisjointSets()
    {
        var rng = new Random(3);
        var a = new double[100, 2];
        var far = new double[100, 2];
        for (int i = 0; i < 100; i++) { a[i, 0] = rng.NextDouble(); a[i, 1] = rng.NextDouble(); far[i, 0] = a[i, 0] + 100; far[i, 1] = a[i, 1]; }
        Assert.Equal((1.0, 1.0), PrecisionRecall.Compute(a, a));
        Assert.Equal((0.0, 0.0), PrecisionRecall.Compute(a, far));
        // Generated points all on one real point: precise, but they cover little of the real set.
        var collapsed = new double[100, 2];
        for (int i = 0; i < 100; i++) { collapsed[i, 0] = a[0, 0]; collapsed[i, 1] = a[0, 1]; }
        var (p, r) = PrecisionRecall.Compute(a, collapsed);
        Assert.Equal(1.0, p);
        Assert.True(r < 0.1);
    }

    [Fact]
    public void TsneKeepsSeparatedClustersApart()
    {
        var rng = new Random(4);
        var x = new double[60, 10];
        for (int i = 0; i < 60; i++)
            for (int j = 0; j < 10; j++) x[i, j] = rng.NextDouble() * 0.1 + (i < 30 ? 0 : 5);
        var y = Tsne.Embed(x, perplexity: 10, iterations: 400);
        double Mean(int from, int dim) => Enumerable.Range(from, 30).Average(i => y[i, dim]);
        double spread = Enumerable.Range(0, 30).Average(i => Math.Sqrt(Math.Pow(y[i, 0] - Mean(0, 0), 2) + Math.Pow(y[i, 1] - Mean(0, 1), 2)));
        double gap = Math.Sqrt(Math.Pow(Mean(0, 0) - Mean(30, 0), 2) + Math.Pow(Mean(0, 1) - Mean(30, 1), 2));
        Assert.True(gap > 3 * spread, $"gap {gap}, spread {spread}");
    }

    [Fact]
    public void ConditionPurityIsTheMajorityLabelShareOverConditionsSampledTwice()
    {
        // Condition 3: labels 1, 1, 2 (2 of 3 majority); condition 5: 0, 0 (2 of 2); condition 9 has one sample: left out.
        long[] conditions = [3, 5, 3, 9, 3, 5];
        long[] labels = [1, 0, 1, 7, 2, 0];
        Assert.Equal(4.0 / 5, FeatureEvaluator.Purity(conditions, labels)!.Value, 10);
        Assert.Null(FeatureEvaluator.Purity([1, 2], [0, 0]));
        Assert.Throws<ArgumentException>(() => FeatureEvaluator.Purity([1, 1], [0]));
    }
}
