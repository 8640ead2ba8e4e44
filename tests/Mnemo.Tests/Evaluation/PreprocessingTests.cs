using Mnemo.Data;
using Mnemo.Data.Readers;
using Mnemo.Evaluation;
using Mnemo.Networks;
using static TorchSharp.torch;

namespace Mnemo.Tests.Evaluation;

/// <summary>Issue 18 A/B: the same pixels give the same features and FID whatever container holds them.</summary>
[Collection(GlobalTorchRng.Name)]
public class PreprocessingTests
{
    const int Count = 300; // more images than the classifier's 128 feature dimensions: full-rank covariances

    static ClassifierFeatures RandomClassifier()
    {
        random.manual_seed(7);
        var model = new DigitClassifier(10, 1, 32);
        return new ClassifierFeatures(model, "classifier:random", model);
    }

    /// <summary>
    /// Bound on the FID of two sets whose features are identical, from float64 rounding alone. The exact value is 0:
    /// tr Σ + tr Σ − 2 tr (Σ^½ Σ Σ^½)^½. A symmetric eigensolver returns each eigenvalue of Σ^½ Σ Σ^½ (= Σ², largest
    /// λ²max) within about d·ε·λ²max; the square root of an eigenvalue that is ≈ 0 then moves by up to
    /// √(d·ε)·λmax, and there are d of them: |FID| ≤ 2·d·√(d·ε)·λmax (factor 2: the trace term counts twice).
    /// With d = 128 that is about 4e-5·λmax; the container-dependent preprocessing this replaces gave FIDs of the
    /// order of the features' variance.
    /// </summary>
    static double Tolerance(GaussianStatistics s)
    {
        int d = s.Mean.Count;
        double lambdaMax = s.Covariance.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues.Max(v => v.Real);
        return 2 * d * Math.Sqrt(d * 2.220446049250313e-16) * lambdaMax;
    }

    [Fact]
    public void IdenticalPixelsGiveZeroFidInEveryContainer()
    {
        using var dir = new TempDir();
        var digits = TestImages.Digits(Count, seed: 5);
        using var features = RandomClassifier();
        var containers = new Dictionary<string, string>();
        foreach (var c in new[] { 1, 2, 3, 4 })
        {
            containers[$"npz 28×28×{c}"] = dir.File($"d{c}.npz");
            TestImages.WriteNpz(containers[$"npz 28×28×{c}"], digits, 28, c);
        }
        containers["npz zero-padded to 32×32"] = dir.File("d32.npz");
        TestImages.WriteNpz(dir.File("d32.npz"), TestImages.Padded32(digits), 32, 1);
        foreach (var mode in TestImages.PngModes)
        {
            containers[$"PNG folder, mode {mode}"] = dir.File($"png-{mode}");
            TestImages.WritePngFolder(dir.File($"png-{mode}"), digits, mode);
        }
        TestImages.WriteMnist(dir.File("data"), digits, TestImages.Digits(20, seed: 6));
        containers["dataset mnist (28×28 IDX)"] = "mnist";

        var reference = StatisticsOf(features, digits);
        double tolerance = Tolerance(reference);
        Assert.InRange(tolerance, 1e-12, 1e-2); // a meaningful bound for these features
        foreach (var (name, spec) in containers)
        {
            using var images = ImageSource.Load(spec, features.ImageSize, dir.File("data"));
            Assert.Equal(Count, images.Count);
            var fid = FrechetDistance.Compute(reference, GaussianStatistics.FromFeatures(features.Extract(images.Images).Features));
            Assert.True(fid <= tolerance, $"{name}: FID {fid} against the same pixels (tolerance {tolerance:e2})");
        }
        // Generated samples: the same pixels as float32 in [-1, 1].
        using var samples = ImageDataset.ToUnitRange(tensor(digits).reshape(Count, 1, 28, 28));
        var generated = FrechetDistance.Compute(reference, GaussianStatistics.FromFeatures(features.Extract(samples).Features));
        Assert.True(generated <= tolerance, $"generated samples: FID {generated}");
    }

    [Fact]
    public void InceptionGetsTheSamePixelsFromAFolderAsFromAnNpz()
    {
        // Kind A for InceptionV3 (size 0): a folder used to be cropped and resampled to 64×64 first (issue 18 E1).
        using var dir = new TempDir();
        var digits = TestImages.Digits(4, seed: 9);
        TestImages.WriteNpz(dir.File("d.npz"), digits, 28, 3);
        TestImages.WritePngFolder(dir.File("png"), digits, "RGBA");
        random.manual_seed(2);
        using var inception = new InceptionFeatures(new FidInceptionV3(), "inception:random");
        using var fromNpz = ImageSource.Load(dir.File("d.npz"), inception.ImageSize, dir.Path);
        using var fromPng = ImageSource.Load(dir.File("png"), inception.ImageSize, dir.Path);
        var (a, _) = inception.Extract(fromNpz.Images);
        var (b, _) = inception.Extract(fromPng.Images);
        // Identical input tensors through the same batches: equal up to nothing but float32 noise of identical runs.
        double scale = a.Cast<double>().Max(Math.Abs);
        Assert.All(Enumerable.Range(0, a.Length), i => Assert.InRange(Math.Abs(a[i / 2048, i % 2048] - b[i / 2048, i % 2048]), 0, 1e-6 * scale));
    }

    [Fact]
    public void AnNpzWithUnusableChannelsIsRefusedNamingTheFile()
    {
        using var dir = new TempDir();
        TestImages.WriteNpz(dir.File("five.npz"), TestImages.Digits(2, seed: 1), 28, 5);
        var e = Assert.Throws<DataFormatException>(() => ImageSource.Load(dir.File("five.npz"), 32, dir.Path));
        Assert.Contains("five.npz", e.Message);
        Assert.Contains("5 channels", e.Message);
    }

    static GaussianStatistics StatisticsOf(IFeatureExtractor features, byte[] digits)
    {
        using var pixels = tensor(digits).reshape(digits.Length / 784, 1, 28, 28);
        return GaussianStatistics.FromFeatures(features.Extract(pixels).Features);
    }

    [Fact]
    public void ASizeThatFitsIsNotResampled()
    {
        using var x = rand(2, 3, 32, 32);
        using var fitted = ImageResampling.Fit(x, 32, padValue: -1);
        Assert.True(fitted.eq(x).all().item<bool>());
        using var network = ImagePreprocessing.ToNetwork(x, 3, 32);
        Assert.True(network.eq(x).all().item<bool>());
    }

    [Fact]
    public void DigitsArePaddedWithBlackAndOtherSizesResizedBilinearly()
    {
        using var x = rand(1, 1, 28, 28).mul(2).sub(1);
        using var padded = ImageResampling.Fit(x, 32, padValue: -1);
        Assert.True(padded.narrow(2, 2, 28).narrow(3, 2, 28).eq(x).all().item<bool>());
        Assert.Equal(-1f, padded[0, 0, 0, 0].item<float>());
        Assert.Equal(-1f, padded[0, 0, 31, 31].item<float>());
        using var small = rand(1, 3, 16, 16);
        using var up = ImageResampling.Fit(small, 32, padValue: -1);
        using var expected = nn.functional.interpolate(small, new long[] { 32, 32 }, mode: InterpolationMode.Bilinear, align_corners: false);
        Assert.True(up.eq(expected).all().item<bool>());
    }

    [Fact]
    public void RgbBecomesGreyByPilLumaAndGreyPixelsKeepTheirValue()
    {
        // Planes R, G, B of three pixels: pure red, pure green, grey 7.
        using var rgb = tensor(new byte[] { 255, 0, 7, 0, 255, 7, 0, 0, 7 }).view(1, 3, 1, 3);
        var luma = ImageFolderReader.Luma(rgb).data<byte>().ToArray();
        Assert.Equal(new byte[] { 76, 150, 7 }, luma); // PIL's Image.convert("L") gives 76 for red and 150 for green
    }
}
