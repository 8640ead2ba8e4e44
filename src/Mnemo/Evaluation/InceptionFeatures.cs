using TorchSharp;
using Mnemo.Interop;
using Mnemo.Networks;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>FID InceptionV3 with weights from a file the user supplies (docs/evaluation.md lists the formats).</summary>
public sealed class InceptionFeatures : IFeatureExtractor
{
    readonly FidInceptionV3 _model;

    public InceptionFeatures(FidInceptionV3 model, string name)
    {
        _model = model;
        _model.eval();
        Name = name;
    }

    /// <summary>Loads FID InceptionV3 weights from pytorch-fid's own state dict (<c>pt_inception-2015-12-05-6726825d.pth</c>,
    /// or any <c>torch.save</c> of that state dict), a safetensors file, or TorchSharp's format, told apart by content.</summary>
    /// <exception cref="MnemoException">No file, another format, or other parameter names or shapes.</exception>
    public static InceptionFeatures Load(string path)
    {
        if (!File.Exists(path))
            throw new MnemoException($"InceptionV3 weights not found at {path}. No weights ship with Mnemo; pass pytorch-fid's pt_inception-2015-12-05-6726825d.pth (see docs/evaluation.md).");
        const string what = "FID InceptionV3 weights (pytorch-fid's parameter names and shapes)";
        var model = new FidInceptionV3();
        try
        {
            if (WeightsFormats.Detect(path) == WeightsFormat.TorchSharp)
                LoadTorchSharp(model, path);
            else
            {
                var state = StateDictFile.Read(path);
                try { StateDictFile.LoadInto(model, state, path, what); }
                finally { foreach (var t in state.Values) t.Dispose(); }
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return new InceptionFeatures(model, $"inception:{Path.GetFileName(path)}");
    }

    static void LoadTorchSharp(FidInceptionV3 model, string path)
    {
        try { model.load(path, strict: true); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            throw new MnemoException($"{path} is not a PyTorch state dict, a safetensors file, or FID InceptionV3 weights in TorchSharp's format ({e.Message}).");
        }
    }

    public string Name { get; }
    public int Channels => 3;
    public string WeightsSha256 => _digest ??= WeightsDigest.Of(_model);

    public void MoveTo(Device device) => _model.to(device);
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
            var (f, _) = _model.forward(ImagePreprocessing.ToNetwork(images.narrow(0, start, count).to(weight.device), Channels, ImageSize));
            ClassifierFeatures.Copy(f, features, start);
            ClassifierFeatures.Copy(f.mm(weight.t()), logits, start); // as torch-fidelity: features_2048 @ fc.weight.T
            progress?.Report(start + count);
        }
        return (features, logits);
    }

    public void Dispose() => _model.Dispose();
}
