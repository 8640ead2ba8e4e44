using System.Text.Json.Serialization;
using Mnemo.Training;

namespace Mnemo.SelfConditioned;

/// <summary>
/// Settings of a Self-Conditioned GAN run (or its baselines). Defaults per dataset are the official code's
/// (stevliu/self-conditioned-gan: 2d_mix/train.py and configs/*/selfcondgan.yaml); see docs/selfcond.md.
/// </summary>
public sealed record SelfCondOptions : TrainingSettings<SelfCondOptions>, IRunSettings<SelfCondOptions>
{
    public SelfCondOptions()
        : base(dataset: "ring", zDim: 2, batchSize: 100, learningRate: 1e-4, beta1: 0.8, beta2: 0.999, logEvery: 100, checkpointEvery: 5000)
    {
    }

    public static string SystemName => "Self-Conditioned GAN";

    public static IReadOnlyList<string> StoredOrder { get; } =
    [
        nameof(Dataset), nameof(Method), nameof(Profile), nameof(Seed), nameof(K), nameof(Iterations), nameof(BatchSize), nameof(ReclusterEvery),
        nameof(ClusterSamples), nameof(LearningRate), nameof(Beta1), nameof(Beta2), nameof(ZDim), nameof(EmbedDim), nameof(EvalEvery),
        nameof(EvalSamples), nameof(TrainPoints), nameof(LogEvery), nameof(CheckpointEvery), nameof(Threads), StoredInceptionKey,
    ];

    public static string MethodKey => nameof(Method);

    public SelfCondMethod Method { get; init; } = SelfCondMethod.Selfcond;
    public int K { get; init; } = 50;
    public int Iterations { get; init; } = 100_000;
    public int ReclusterEvery { get; init; } = 5000;
    public int ClusterSamples { get; init; } = 10_000;
    public int EmbedDim { get; init; } = 32;
    public int EvalEvery { get; init; } = 5000;
    public int EvalSamples { get; init; } = 50_000;
    public int TrainPoints { get; init; } = 100_000;
    /// <summary>InceptionV3 weights for FID/IS on CIFAR-10 and folders (else classifier features). Left out of
    /// config.json when unset, so that runs without it keep the settings fingerprint of the first format.</summary>
    [JsonPropertyName(StoredInceptionKey), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InceptionWeights { get; init; }

    const string StoredInceptionKey = "inception";

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
        // Quick: the same method and networks on a CPU-sized schedule (docs/selfcond.md has the measurements).
        return ForProfile(profile, o, p => twoD
            ? p with { Iterations = 20_000, ReclusterEvery = 2_000, EvalEvery = 5_000, EvalSamples = 20_000 }
            : p with { Iterations = 3_000, ReclusterEvery = 1_000, ClusterSamples = 5_000, EvalEvery = 1_500, EvalSamples = 10_000, CheckpointEvery = 500 });
    }

    public void Validate()
    {
        ValidateShared();
        Require(K >= 1, "--k must be at least 1");
        Require(Iterations >= 1, "--iterations must be at least 1");
        Require(ReclusterEvery >= 1 && EvalEvery >= 1, "intervals must be at least 1");
        Require(ClusterSamples >= K, $"--cluster-samples must be at least k = {K}");
        Require(EvalSamples >= 1, "evaluation samples must be positive");
    }
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
