using MathNet.Numerics.LinearAlgebra;
using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>Mean (D) and covariance (D×D, unbiased, N−1, as numpy.cov) of N feature vectors: what FID compares.</summary>
public sealed record GaussianStatistics(Vector<double> Mean, Matrix<double> Covariance, int Count)
{
    /// <summary>Statistics of N×D features, computed in float64 by libtorch. Throws <see cref="MnemoException"/> for N &lt; 2.</summary>
    public static GaussianStatistics FromFeatures(double[,] features)
    {
        int n = features.GetLength(0), d = features.GetLength(1);
        if (n < 2) throw new MnemoException("FID needs at least 2 samples per set");
        using var scope = NewDisposeScope();
        var x = FrechetDistance.ToTensor(features);
        var mean = x.mean(new long[] { 0 });
        var centred = x.sub(mean);
        var cov = centred.t().matmul(centred).div(n - 1);
        return new GaussianStatistics(
            Vector<double>.Build.DenseOfArray(mean.data<double>().ToArray()),
            Matrix<double>.Build.DenseOfRowMajor(d, d, cov.contiguous().data<double>().ToArray()), n);
    }
}

/// <summary>
/// The Fréchet distance between two Gaussians, ‖μ₁−μ₂‖² + tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½) (Heusel et al. 2017) — FID when the
/// statistics are of Inception pool features. tr((Σ₁Σ₂)^½) is computed as Σᵢ √λᵢ(Fᵀ Σ₂ F) with F Fᵀ = Σ₁: Σ₁Σ₂ is
/// similar to the symmetric Fᵀ Σ₂ F, so they share eigenvalues, and symmetric decompositions (libtorch's
/// linalg.cholesky / eigh / eigvalsh, LAPACK, float64) replace scipy's general sqrtm (pytorch-fid) and its complex
/// round-off. Eigenvalues that rounding
/// pushes below zero (near-singular covariances) are clamped to zero, and a total that rounding pushes below zero
/// (identical statistics) is reported as 0.
/// </summary>
public static class FrechetDistance
{
    /// <summary>The distance between two sets of statistics of the same dimension D; never negative.</summary>
    public static double Compute(GaussianStatistics a, GaussianStatistics b)
    {
        if (a.Mean.Count != b.Mean.Count) throw new ArgumentException("feature dimensions differ");
        var diff = a.Mean - b.Mean;
        double traceSqrt = TraceSqrtProduct(a.Covariance, b.Covariance);
        double distance = diff.DotProduct(diff) + a.Covariance.Trace() + b.Covariance.Trace() - 2 * traceSqrt;
        return Math.Max(distance, 0);
    }

    public static double Compute(double[,] featuresA, double[,] featuresB) =>
        Compute(GaussianStatistics.FromFeatures(featuresA), GaussianStatistics.FromFeatures(featuresB));

    /// <summary>tr((Σ₁Σ₂)^½) for symmetric positive semi-definite D×D matrices: Σᵢ √λᵢ(Fᵀ Σ₂ F) for any F with
    /// F Fᵀ = Σ₁ (Fᵀ Σ₂ F is similar to Σ₁Σ₂). F is the Cholesky factor when Σ₁ is positive definite (the usual case
    /// with more images than dimensions; about a third of the cost of an eigendecomposition), else V·diag(√λ) from
    /// Σ₁'s eigendecomposition.</summary>
    public static double TraceSqrtProduct(Matrix<double> covA, Matrix<double> covB)
    {
        using var scope = NewDisposeScope();
        var a = Symmetric(covA);
        var (cholesky, info) = linalg.cholesky_ex(a);
        var factor = info.item<int>() == 0 ? cholesky : SqrtFactor(a);
        var inner = Symmetric(factor.t().matmul(Symmetric(covB)).matmul(factor));
        return linalg.eigvalsh(inner).clamp_min(0).sqrt().sum().item<double>();
    }

    static Tensor Symmetric(Matrix<double> m)
    {
        var t = tensor(m.ToRowMajorArray(), dtype: ScalarType.Float64).view(m.RowCount, m.ColumnCount);
        return Symmetric(t);
    }

    static Tensor Symmetric(Tensor t) => t.add(t.t()).div(2);

    /// <summary>V·diag(√max(λ, 0)) of a symmetric matrix's eigendecomposition: F with F Fᵀ = m for a positive
    /// semi-definite m, its rounding-negative eigenvalues treated as 0.</summary>
    static Tensor SqrtFactor(Tensor m)
    {
        var (values, vectors) = linalg.eigh(m);
        return vectors.mul(values.clamp_min(0).sqrt().unsqueeze(0));
    }

    internal static Tensor ToTensor(double[,] x)
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        var flat = new double[(long)n * d];
        Buffer.BlockCopy(x, 0, flat, 0, flat.Length * sizeof(double));
        return tensor(flat, dtype: ScalarType.Float64).view(n, d);
    }
}
