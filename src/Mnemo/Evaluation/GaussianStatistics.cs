using MathNet.Numerics.LinearAlgebra;

namespace Mnemo.Evaluation;

/// <summary>Mean and covariance (unbiased, N−1, as numpy.cov) of feature vectors: what FID compares.</summary>
public sealed record GaussianStatistics(Vector<double> Mean, Matrix<double> Covariance, int Count)
{
    public static GaussianStatistics FromFeatures(double[,] features)
    {
        int n = features.GetLength(0), d = features.GetLength(1);
        if (n < 2) throw new MnemoException("FID needs at least 2 samples per set");
        var x = Matrix<double>.Build.DenseOfArray(features);
        var mean = x.ColumnSums() / n;
        var centred = x - Matrix<double>.Build.Dense(n, d, (_, j) => mean[j]);
        var cov = centred.TransposeThisAndMultiply(centred) / (n - 1);
        return new GaussianStatistics(mean, cov, n);
    }
}

/// <summary>
/// The Fréchet distance between two Gaussians, ‖μ₁−μ₂‖² + tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½) — FID when the statistics are
/// of Inception pool features. tr((Σ₁Σ₂)^½) is computed as tr((Σ₁^½ Σ₂ Σ₁^½)^½), which has the same eigenvalues
/// but is symmetric, so symmetric eigendecompositions (with tiny negative eigenvalues of near-singular
/// covariances clamped to zero) replace the general matrix square root and its complex round-off.
/// </summary>
public static class FrechetDistance
{
    public static double Compute(GaussianStatistics a, GaussianStatistics b)
    {
        if (a.Mean.Count != b.Mean.Count) throw new ArgumentException("feature dimensions differ");
        var diff = a.Mean - b.Mean;
        var sqrtA = SymmetricSqrt(a.Covariance);
        var inner = sqrtA * b.Covariance * sqrtA;
        inner = (inner + inner.Transpose()) / 2;
        var eig = inner.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        double traceSqrt = eig.EigenValues.Sum(v => Math.Sqrt(Math.Max(v.Real, 0)));
        return diff.DotProduct(diff) + a.Covariance.Trace() + b.Covariance.Trace() - 2 * traceSqrt;
    }

    public static double Compute(double[,] featuresA, double[,] featuresB) =>
        Compute(GaussianStatistics.FromFeatures(featuresA), GaussianStatistics.FromFeatures(featuresB));

    static Matrix<double> SymmetricSqrt(Matrix<double> m)
    {
        var sym = (m + m.Transpose()) / 2;
        var eig = sym.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        var roots = Vector<double>.Build.Dense(eig.EigenValues.Count, i => Math.Sqrt(Math.Max(eig.EigenValues[i].Real, 0)));
        return eig.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalVector(roots) * eig.EigenVectors.Transpose();
    }
}
