using System.Text.Json.Nodes;

namespace Mnemo.Training;

/// <summary>
/// The settings every system has (data, schedule profile, seed, noise size, batch, Adam, cadences, threads) and what
/// every settings record does with them: profile choice, validation, the JSON form config.json stores. Each system
/// sets its defaults in its constructor and lists its <see cref="IRunSettings{TSelf}.StoredOrder"/>, which keeps
/// config.json (and so the checkpoint fingerprint) as the first format wrote it, wherever a field is declared.
/// </summary>
public abstract record TrainingSettings<TSelf> where TSelf : TrainingSettings<TSelf>, IRunSettings<TSelf>
{
    /// <summary>A dataset name (see <see cref="Data.DatasetCatalog"/>).</summary>
    public string Dataset { get; init; }
    /// <summary>"paper" (the official schedule) or "quick" (minutes on a CPU).</summary>
    public string Profile { get; init; } = "paper";
    public int Seed { get; init; }
    /// <summary>Size of the generator's noise z.</summary>
    public int ZDim { get; init; }
    public int BatchSize { get; init; }
    /// <summary>Adam's learning rate and betas.</summary>
    public double LearningRate { get; init; }
    public double Beta1 { get; init; }
    public double Beta2 { get; init; }
    /// <summary>Iterations between training-metric records.</summary>
    public int LogEvery { get; init; }
    /// <summary>Iterations between checkpoints.</summary>
    public int CheckpointEvery { get; init; }
    /// <summary>libtorch threads (null: all cores); not a result-changing setting when runs are compared.</summary>
    public int? Threads { get; init; }

    /// <summary>Sets the system's defaults of the shared fields (seed 0, profile "paper", threads unset).</summary>
    protected TrainingSettings(string dataset, int zDim, int batchSize, double learningRate, double beta1, double beta2, int logEvery, int checkpointEvery)
    {
        Dataset = dataset;
        ZDim = zDim;
        BatchSize = batchSize;
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        LogEvery = logEvery;
        CheckpointEvery = checkpointEvery;
    }

    /// <summary>The settings as config.json stores them (and the checkpoint fingerprint hashes).</summary>
    public JsonObject ToJson() => RunSettings.ToJson((TSelf)this);

    /// <exception cref="MnemoException">The JSON is not settings of this system.</exception>
    public static TSelf FromJson(JsonObject json) => RunSettings.FromJson<TSelf>(json, TSelf.SystemName);

    /// <summary><paramref name="paper"/> for the "paper" profile, <paramref name="quick"/> of it for "quick".</summary>
    /// <exception cref="MnemoException">Another profile name.</exception>
    protected static TSelf ForProfile(string profile, TSelf paper, Func<TSelf, TSelf> quick) => profile switch
    {
        "paper" => paper,
        "quick" => quick(paper),
        _ => throw new MnemoException($"unknown profile '{profile}'; choose quick or paper"),
    };

    /// <summary>Checks the shared settings; each system's Validate calls it before its own checks.</summary>
    /// <exception cref="MnemoException">A value is out of range; the message names it.</exception>
    protected void ValidateShared()
    {
        Require(BatchSize >= 2, "the batch size (--batch-size) must be at least 2: batch norm needs batch statistics");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), "the learning rate (--lr) must be positive");
        Require(ZDim >= 1, "the noise size must be positive");
        Require(LogEvery >= 1 && CheckpointEvery >= 1, "log and checkpoint intervals must be at least 1");
    }

    protected static void Require(bool ok, string message)
    {
        if (!ok) throw new MnemoException(message);
    }
}
