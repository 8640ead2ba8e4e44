using System.Text.Json.Serialization;
using Mnemo.Training;

namespace Mnemo.MemoryGan;

/// <summary>MemoryGAN settings; defaults are the official Fashion-MNIST configuration (whyjay/memoryGAN
/// models/config.py and memory.py); see docs/memorygan.md.</summary>
public sealed record MemoryGanOptions : TrainingSettings<MemoryGanOptions>, IRunSettings<MemoryGanOptions>
{
    public MemoryGanOptions()
        : base(dataset: "fashion-mnist", zDim: 2, batchSize: 64, learningRate: 2e-4, beta1: 0.5, beta2: 0.999, logEvery: 50, checkpointEvery: 2_000)
    {
    }

    public static string SystemName => "MemoryGAN";

    public static IReadOnlyList<string> StoredOrder { get; } =
    [
        nameof(Dataset), nameof(Profile), nameof(Seed), nameof(MemorySize), nameof(KeyDim), nameof(TopK), nameof(Kappa), nameof(Alpha), nameof(Beta),
        nameof(EmIterations), nameof(MiWeight), nameof(ZDim), nameof(BatchSize), nameof(LearningRate), nameof(Beta1), nameof(Beta2),
        nameof(Iterations), StoredMethodKey, nameof(EvalEvery), nameof(EvalSamples), nameof(LogEvery), nameof(CheckpointEvery), nameof(Threads),
        nameof(HistogramUpdate), nameof(GeneratorLoss),
    ];

    public static string MethodKey => StoredMethodKey;

    public int MemorySize { get; init; } = 4096;
    public int KeyDim { get; init; } = 256;
    public int TopK { get; init; } = 128;
    public double Kappa { get; init; } = 1;
    public double Alpha { get; init; } = 0.5;
    public double Beta { get; init; } = 1e-8;
    public int EmIterations { get; init; } = 1;
    public double MiWeight { get; init; } = 1e-2;
    /// <summary>How EM raises the slot histogram: the official code's (default) or the paper's formula (docs/memorygan.md).</summary>
    public HistogramUpdate HistogramUpdate { get; init; } = HistogramUpdate.Official;
    /// <summary>The generator's GAN loss: the official default 'jsd' (saturating) or its 'alternative' (non-saturating).</summary>
    public GeneratorLoss GeneratorLoss { get; init; } = GeneratorLoss.Saturating;
    public int Iterations { get; init; } = 1_405_500; // 937 iterations per epoch × 1500 epochs
    /// <summary>The discriminator: with the memory (the paper's method) or the plain-head ablation.</summary>
    [JsonIgnore] public MemoryGanMethod Method { get; init; } = MemoryGanMethod.Memory;
    /// <summary><see cref="Method"/> as config.json has stored it from the first format (a bool), so that existing
    /// runs keep their settings fingerprint and resume.</summary>
    [JsonInclude, JsonPropertyName(StoredMethodKey)]
    bool StoredNoMemory { get => Method == MemoryGanMethod.NoMemory; init => Method = value ? MemoryGanMethod.NoMemory : MemoryGanMethod.Memory; }
    public int EvalEvery { get; init; } = 10_000;
    public int EvalSamples { get; init; } = 10_000;

    const string StoredMethodKey = "NoMemory";

    public static MemoryGanOptions ForProfile(string profile, string dataset) =>
        ForProfile(profile, new MemoryGanOptions { Dataset = dataset, Profile = profile },
            // Quick: 3,000 iterations (≈ 3.2 epochs of the paper's 1,500) with the official code's non-saturating
            // 'alternative' generator loss: with the default saturating 'jsd' the discriminator wins from the start
            // (D(G(z)) ≈ 0.005), the generator gets almost no gradient and 70 % of its images are shirts after 3,000
            // iterations; non-saturating, all ten classes at 5–16 % by iteration 2,000 (docs/memorygan.md).
            p => p with { Iterations = 3_000, EvalEvery = 1_000, EvalSamples = 10_000, CheckpointEvery = 500, GeneratorLoss = GeneratorLoss.NonSaturating });

    public void Validate()
    {
        ValidateShared();
        Require(MemorySize >= 2 && TopK >= 1 && TopK <= MemorySize, "memory size must be at least 2 and 1 ≤ k ≤ memory size");
        Require(KeyDim >= 1 && Iterations >= 1, "key size and iterations must be positive");
        Require(MiWeight >= 0 && Alpha > 0 && EmIterations >= 1, "weights and rates must be positive");
        Require(EvalEvery >= 1 && EvalSamples >= 10, "evaluation interval must be at least 1 and evaluation needs 10 samples");
    }
}

/// <summary>The generator's GAN loss, as the official code's <c>--loss</c> flag (models/memory_gan.py, get_loss).</summary>
[JsonConverter(typeof(IdEnumConverter<GeneratorLoss>))]
public enum GeneratorLoss
{
    /// <summary>'jsd', the official default: G minimises log(1 − D(G(z))), the minimax form, whose gradient vanishes
    /// as D(G(z)) → 0.</summary>
    Saturating,
    /// <summary>'alternative': G minimises −log D(G(z)) (Goodfellow et al.'s non-saturating form).</summary>
    NonSaturating,
}

public static class GeneratorLosses
{
    /// <summary>The generator's GAN loss on D(G(z)) (B values in (0, 1), clipped by the caller as the official
    /// cross_entropy clips them): the mean of log(1 − D) for <see cref="GeneratorLoss.Saturating"/>, of −log D for
    /// <see cref="GeneratorLoss.NonSaturating"/>.</summary>
    public static TorchSharp.torch.Tensor Of(this GeneratorLoss form, TorchSharp.torch.Tensor dFake) => form == GeneratorLoss.Saturating
        ? dFake.neg().add(1).log().mean()
        : dFake.log().mean().neg();
}

/// <summary>MemoryGAN's discriminator variants.</summary>
[JsonConverter(typeof(IdEnumConverter<MemoryGanMethod>))]
public enum MemoryGanMethod
{
    /// <summary>The discriminative memory: D(x) from a vMF mixture over memory slots (the paper's method).</summary>
    Memory,
    /// <summary>Ablation: a plain head (leaky ReLU, linear, sigmoid) on μ(x), random unit codes for the generator.</summary>
    NoMemory,
}
