using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mnemo.Training;

namespace Mnemo.SelfConditioned;

/// <summary>
/// Settings of a Self-Conditioned GAN run (or its baselines). Defaults per dataset are the official code's
/// (stevliu/self-conditioned-gan: 2d_mix/train.py and configs/*/selfcondgan.yaml); see docs/selfcond.md.
/// </summary>
public sealed record SelfCondOptions : IRunSettings<SelfCondOptions>
{
    public string Dataset { get; init; } = "ring";
    public SelfCondMethod Method { get; init; } = SelfCondMethod.Selfcond;
    public string Profile { get; init; } = "paper";
    public int Seed { get; init; } = 0;
    public int K { get; init; } = 50;
    public int Iterations { get; init; } = 100_000;
    public int BatchSize { get; init; } = 100;
    public int ReclusterEvery { get; init; } = 5000;
    public int ClusterSamples { get; init; } = 10_000;
    public double LearningRate { get; init; } = 1e-4;
    public double Beta1 { get; init; } = 0.8;
    public double Beta2 { get; init; } = 0.999;
    public int ZDim { get; init; } = 2;
    public int EmbedDim { get; init; } = 32;
    public int EvalEvery { get; init; } = 5000;
    public int EvalSamples { get; init; } = 50_000;
    public int TrainPoints { get; init; } = 100_000;
    public int LogEvery { get; init; } = 100;
    public int CheckpointEvery { get; init; } = 5000;
    public int? Threads { get; init; }
    /// <summary>InceptionV3 weights for FID/IS on CIFAR-10 and folders (else classifier features). Left out of
    /// config.json when unset, so that runs without it keep the settings fingerprint of the first format.</summary>
    [JsonPropertyName("inception"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InceptionWeights { get; init; }

    [JsonIgnore] public bool IsTwoD => Dataset is "ring" or "grid";

    public static SelfCondOptions ForProfile(string profile, string dataset, SelfCondMethod method)
    {
        bool twoD = dataset is "ring" or "grid";
        var o = twoD
            ? new SelfCondOptions { Dataset = dataset, Method = method, Profile = profile }
            : new SelfCondOptions
            {
                Dataset = dataset, Method = method, Profile = profile, K = 100, Iterations = 390_000, BatchSize = 64,
                ReclusterEvery = 25_000, ClusterSamples = 25_000, Beta1 = 0.0, Beta2 = 0.99, ZDim = 128, EmbedDim = 256,
                EvalEvery = 25_000, EvalSamples = 50_000, LogEvery = 50, CheckpointEvery = 2000,
            };
        return profile switch
        {
            "paper" => o,
            // Quick: the same method and networks on a CPU-sized schedule (docs/selfcond.md has the measurements).
            "quick" when twoD => o with { Iterations = 20_000, ReclusterEvery = 2_000, EvalEvery = 5_000, EvalSamples = 20_000 },
            "quick" => o with { Iterations = 3_000, ReclusterEvery = 1_000, ClusterSamples = 5_000, EvalEvery = 1_500, EvalSamples = 10_000, CheckpointEvery = 500 },
            _ => throw new MnemoException($"unknown profile '{profile}'; choose quick or paper"),
        };
    }

    public static string MethodKey => nameof(Method);

    public void Validate()
    {
        void Require(bool ok, string message) { if (!ok) throw new MnemoException(message); }
        Require(K >= 1, "--k must be at least 1");
        Require(Iterations >= 1 && BatchSize >= 2, "iterations must be positive and the batch at least 2");
        Require(ReclusterEvery >= 1 && EvalEvery >= 1 && LogEvery >= 1 && CheckpointEvery >= 1, "intervals must be at least 1");
        Require(ClusterSamples >= K, $"--cluster-samples must be at least k = {K}");
        Require(EvalSamples >= 1 && LearningRate > 0, "evaluation samples and learning rate must be positive");
    }

    /// <summary>The settings as config.json stores them (and the checkpoint fingerprint hashes).</summary>
    public JsonObject ToJson() => RunSettings.ToJson(this);

    public static SelfCondOptions FromJson(JsonObject json) => RunSettings.FromJson<SelfCondOptions>(json, "Self-Conditioned GAN");
}

/// <summary>How the generator's class is chosen in a Self-Conditioned GAN run.</summary>
[JsonConverter(typeof(IdEnumConverter<SelfCondMethod>))]
public enum SelfCondMethod
{
    /// <summary>k-means clusters of discriminator features, re-clustered and matched periodically (the paper's method).</summary>
    Selfcond,
    /// <summary>One class for every sample: a plain GAN with the same networks.</summary>
    Unconditional,
    /// <summary>The true labels (modes or classes): the class-conditional upper bound.</summary>
    Supervised,
}
