using MathNet.Numerics.LinearAlgebra;
using Mnemo.Evaluation;

namespace Mnemo.Tests.Evaluation;

/// <summary>Issue 18 F: the libtorch matrix part against closed forms, on both of its paths (Cholesky factor for a
/// positive definite Σ₁, eigendecomposition for a singular one).</summary>
public class FrechetDistanceTests
{
    static GaussianStatistics Stats(Vector<double> mean, Matrix<double> cov) => new(mean, cov, 1000);

    /// <summary>A random orthogonal D×D matrix (QR of a Gaussian matrix).</summary>
    static Matrix<double> Orthogonal(int d, int seed)
    {
        var rng = new Random(seed);
        return Matrix<double>.Build.Dense(d, d, (_, _) => rng.NextDouble() - 0.5).QR().Q;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CommutingCovariancesGiveTheSumOfRootProducts(bool singular)
    {
        // Σ₁ = Q D₁ Qᵀ and Σ₂ = Q D₂ Qᵀ commute: tr((Σ₁Σ₂)^½) = Σ √(d₁ᵢ d₂ᵢ).
        const int d = 60;
        var rng = new Random(1);
        var d1 = Enumerable.Range(0, d).Select(i => singular && i % 3 == 0 ? 0 : 0.1 + 5 * rng.NextDouble()).ToArray();
        var d2 = Enumerable.Range(0, d).Select(_ => 0.1 + 5 * rng.NextDouble()).ToArray();
        var q = Orthogonal(d, 2);
        Matrix<double> Cov(double[] diag) => q * Matrix<double>.Build.DenseOfDiagonalArray(diag) * q.Transpose();
        double expected = Enumerable.Range(0, d).Sum(i => Math.Sqrt(d1[i] * d2[i]));
        // Positive definite: float64 rounding only (1e-8). Singular: each zero eigenvalue comes out as ±d·ε·λmax, and
        // its square root — √(d·ε·λmax₁·λmax₂) ≈ 6e-7 here — enters the trace; 20 of them.
        double tolerance = singular ? d1.Count(v => v == 0) * Math.Sqrt(d * 2.220446049250313e-16 * d1.Max() * d2.Max()) : 1e-8;
        Assert.InRange(FrechetDistance.TraceSqrtProduct(Cov(d1), Cov(d2)), expected - tolerance, expected + tolerance);
        var zero = Vector<double>.Build.Dense(d);
        double fid = d1.Sum() + d2.Sum() - 2 * expected;
        Assert.InRange(FrechetDistance.Compute(Stats(zero, Cov(d1)), Stats(zero, Cov(d2))), fid - 2 * tolerance, fid + 2 * tolerance);
    }

    [Fact]
    public void AKnownNonCommuting2DCase()
    {
        // For 2×2 M with non-negative eigenvalues, tr √M = √(tr M + 2 √det M). Σ₁Σ₂ = [[2,4],[1,8]]: tr 10, det 12.
        var a = Matrix<double>.Build.DenseOfArray(new double[,] { { 2, 1 }, { 1, 2 } });
        var b = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0 }, { 0, 4 } });
        double traceSqrt = Math.Sqrt(10 + 2 * Math.Sqrt(12));
        Assert.Equal(traceSqrt, FrechetDistance.TraceSqrtProduct(a, b), 12);
        Assert.Equal(traceSqrt, FrechetDistance.TraceSqrtProduct(b, a), 12);
        var m1 = Vector<double>.Build.DenseOfArray(new[] { 1.0, 2.0 });
        var m2 = Vector<double>.Build.DenseOfArray(new[] { 0.0, 0.0 });
        Assert.Equal(5 + 4 + 5 - 2 * traceSqrt, FrechetDistance.Compute(Stats(m1, a), Stats(m2, b)), 12);
    }

    [Fact]
    public void IdenticalStatisticsGiveZeroNeverANegativeValue()
    {
        // Rank-deficient 2048-d statistics (fewer samples than dimensions), as a small Inception evaluation has.
        var rng = new Random(3);
        var features = new double[300, 2048];
        for (int i = 0; i < 300; i++) for (int j = 0; j < 2048; j++) features[i, j] = rng.NextDouble();
        var s = GaussianStatistics.FromFeatures(features);
        double fid = FrechetDistance.Compute(s, s);
        Assert.True(fid >= 0, $"FID {fid}");
        // Rounding bound as in PreprocessingTests.Tolerance: 2·d·√(d·ε)·λmax; λmax ≤ tr Σ.
        Assert.True(fid <= 2 * 2048 * Math.Sqrt(2048 * 2.220446049250313e-16) * s.Covariance.Trace(), $"FID {fid}");
    }
}
