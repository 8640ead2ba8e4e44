using Mnemo.Networks;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>FID InceptionV3 with weights from a file the user supplies (docs/evaluation.md says how to make it).</summary>
public sealed class InceptionFeatures : IFeatureExtractor
{
    readonly FidInceptionV3 _model;

    public InceptionFeatures(FidInceptionV3 model, string name)
    {
        _model = model;
        _model.eval();
        Name = name;
    }

    public static InceptionFeatures Load(string path)
    {
        if (!File.Exists(path))
            throw new MnemoException($"InceptionV3 weights not found at {path}. No weights ship with Mnemo; see docs/evaluation.md to convert pytorch-fid's pt_inception-2015-12-05 weights.");
        var model = new FidInceptionV3();
        try { model.load(path, strict: true); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            model.Dispose();
            throw new MnemoException($"{path} does not hold FID InceptionV3 weights in TorchSharp's format ({e.Message}).");
        }
        return new InceptionFeatures(model, $"inception:{Path.GetFileName(path)}");
    }

    public string Name { get; }
    public int Channels => 3;
    public string WeightsSha256 => _digest ??= WeightsDigest.Of(_model);
    string? _digest;
    /// <summary>0: images keep their size; the network resizes them to 299×299 itself (bilinear, no antialias, as
    /// pytorch-fid's FIDInceptionV3).</summary>
    public int ImageSize => 0;

    /// <summary>2048-d pool features and the 1008 logits without the final layer's bias (torch-fidelity's
    /// `logits_unbiased`, the original TF Inception Score code's pool3 · W): what the Inception Score is defined on.</summary>
    public (double[,] Features, double[,] Logits) Extract(Tensor images, IProgressReporter? progress = null)
    {
        long n = images.shape[0];
        using var weight = _model.get_parameter("fc.weight")!.detach(); // 1008×2048
        var features = new double[n, FidInceptionV3.FeatureSize];
        var logits = new double[n, FidInceptionV3.LogitCount];
        progress?.Start($"features ({Name})", n);
        using var _ = no_grad();
        for (long start = 0; start < n; start += 50)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(50, n - start);
            var (f, _) = _model.forward(ImagePreprocessing.ToNetwork(images.narrow(0, start, count), Channels, ImageSize));
            ClassifierFeatures.Copy(f, features, start);
            ClassifierFeatures.Copy(f.mm(weight.t()), logits, start); // as torch-fidelity: features_2048 @ fc.weight.T
            progress?.Report(start + count);
        }
        return (features, logits);
    }

    public void Dispose() => _model.Dispose();
}
