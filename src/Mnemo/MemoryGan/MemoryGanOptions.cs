using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mnemo.Training;

namespace Mnemo.MemoryGan;

/// <summary>MemoryGAN settings; defaults are the official Fashion-MNIST configuration (whyjay/memoryGAN
/// models/config.py and memory.py); see docs/memorygan.md.</summary>
public sealed record MemoryGanOptions : IRunSettings<MemoryGanOptions>
{
    public string Dataset { get; init; } = "fashion-mnist";
    public string Profile { get; init; } = "paper";
    public int Seed { get; init; } = 0;
    public int MemorySize { get; init; } = 4096;
    public int KeyDim { get; init; } = 256;
    public int TopK { get; init; } = 128;
    public double Kappa { get; init; } = 1;
    public double Alpha { get; init; } = 0.5;
    public double Beta { get; init; } = 1e-8;
    public int EmIterations { get; init; } = 1;
    public double MiWeight { get; init; } = 1e-2;
    public int ZDim { get; init; } = 2;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 2e-4;
    public double Beta1 { get; init; } = 0.5;
    public double Beta2 { get; init; } = 0.999;
    public int Iterations { get; init; } = 1_405_500; // 937 iterations per epoch × 1500 epochs
    /// <summary>The discriminator: with the memory (the paper's method) or the plain-head ablation.</summary>
    [JsonIgnore] public MemoryGanMethod Method { get; init; } = MemoryGanMethod.Memory;
    /// <summary><see cref="Method"/> as config.json has stored it from the first format (a bool), so that existing
    /// runs keep their settings fingerprint and resume.</summary>
    [JsonInclude, JsonPropertyName(StoredMethodKey)]
    bool StoredNoMemory { get => Method == MemoryGanMethod.NoMemory; init => Method = value ? MemoryGanMethod.NoMemory : MemoryGanMethod.Memory; }
    public int EvalEvery { get; init; } = 10_000;
    public int EvalSamples { get; init; } = 10_000;
    public int LogEvery { get; init; } = 50;
    public int CheckpointEvery { get; init; } = 2_000;
    public int? Threads { get; init; }

    const string StoredMethodKey = "NoMemory";

    public static string MethodKey => StoredMethodKey;

    public static MemoryGanOptions ForProfile(string profile, string dataset) => profile switch
    {
        "paper" => new MemoryGanOptions { Dataset = dataset, Profile = profile },
        "quick" => new MemoryGanOptions { Dataset = dataset, Profile = profile, Iterations = 3_000, EvalEvery = 1_000, EvalSamples = 5_000, CheckpointEvery = 500 },
        _ => throw new MnemoException($"unknown profile '{profile}'; choose quick or paper"),
    };

    public void Validate()
    {
        void Require(bool ok, string message) { if (!ok) throw new MnemoException(message); }
        Require(MemorySize >= 2 && TopK >= 1 && TopK <= MemorySize, "memory size must be at least 2 and 1 ≤ k ≤ memory size");
        Require(KeyDim >= 1 && ZDim >= 1 && BatchSize >= 2 && Iterations >= 1, "sizes must be positive (batch at least 2)");
        Require(MiWeight >= 0 && LearningRate > 0 && Alpha > 0 && EmIterations >= 1, "weights and rates must be positive");
        Require(EvalEvery >= 1 && EvalSamples >= 10 && LogEvery >= 1 && CheckpointEvery >= 1, "intervals must be at least 1 and evaluation needs 10 samples");
    }

    /// <summary>The settings as config.json stores them (and the checkpoint fingerprint hashes).</summary>
    public JsonObject ToJson() => RunSettings.ToJson(this);

    public static MemoryGanOptions FromJson(JsonObject json) => RunSettings.FromJson<MemoryGanOptions>(json, "MemoryGAN");
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
