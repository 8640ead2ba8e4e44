using System.Text.Json.Nodes;
using Mnemo.Continual;
using Mnemo.MemoryGan;
using Mnemo.SelfConditioned;
using Mnemo.Training;

namespace Mnemo.Tests.Training;

/// <summary>Run folders written before the typed settings still resume: their settings read back and hash to the
/// fingerprint their checkpoints carry; settings that differ are named.</summary>
public class SettingsFormatTests
{
    [Fact]
    public void AContinualRunOfTheFirstFormatKeepsItsFingerprint()
    {
        // config.json "settings" and the checkpoint fingerprint of a run written by the code before the run engine
        // (data_root was kept inside the settings then).
        const string settings = """
            {"Dataset": "mnist", "Method": "ra", "Tasks": "0,1", "Profile": "quick", "Seed": 0, "ImageSize": 32, "ZDim": 128, "Dim": 32,
             "IterationsPerTask": 6, "BatchSize": 64, "CriticIterations": 2, "GradientPenaltyWeight": 10, "AcganScaleCritic": 1,
             "AcganScaleGenerator": 1, "LearningRate": 0.0002, "Beta1": 0, "Beta2": 0.9, "RaFactor": 0.003, "EwcLambda": 10000,
             "EwcFisherBatches": 32, "EvalSamplesPerClass": 16, "ReverseSamplesPerClass": 1000, "LogEvery": 20, "CheckpointEvery": 150,
             "GridColumns": 10, "Threads": 1, "data_root": "/work/mnemo-data"}
            """;
        var options = MerganOptions.FromJson(JsonNode.Parse(settings)!.AsObject());
        Assert.Equal(ContinualMethod.Ra, options.Method);
        Assert.Equal("1a615a24ee42fdb5", RunSettings.Fingerprint(options));
    }

    /// <summary>Settings of each system and the fingerprint their checkpoints carry, as written by the code that
    /// existing run folders come from: the fingerprint hashes the stored JSON text, so a field renamed, moved or
    /// written in another form would stop every such run from resuming.</summary>
    public static TheoryData<string, string> StoredFingerprints => new()
    {
        { "MeRGAN default", "98dab0c0fca683cf" },
        // The quick profile's own values changed (issue 13: replay alignment weighted the same every task, one critic
        // step, a generator average): runs made with an earlier quick profile keep theirs, since a resume reads the
        // settings stored in the run folder.
        { "MeRGAN quick", "98a373a491c65510" },
        { "MeRGAN two classes per task", "adf5b7b43c6559c1" },
        { "MeRGAN with the research options", "578a5bc567512b76" },
        { "Self-Cond default", "aa9bf242cda9cb71" },
        { "Self-Cond CIFAR-10 quick with Inception weights", "8aa0ce234b3b6600" },
        { "MemoryGAN default", "26fb1a833aa364bb" }, // changed with HistogramUpdate and GeneratorLoss (issue 21)
        { "MemoryGAN without memory", "771123555e5634bd" },
    };

    static string FingerprintOf(string settings) => settings switch
    {
        "MeRGAN default" => RunSettings.Fingerprint(new MerganOptions()),
        "MeRGAN quick" => RunSettings.Fingerprint(MerganOptions.ForProfile("quick", "mnist")),
        // '+' is escaped (\u002B) in the text the fingerprint hashes, whatever config.json shows.
        "MeRGAN two classes per task" => RunSettings.Fingerprint(new MerganOptions { Tasks = "0+1,2+3" }),
        "MeRGAN with the research options" => RunSettings.Fingerprint(new MerganOptions
        {
            RaWeighting = Mnemo.Losses.ReplayAlignmentWeighting.SameEveryTask, GeneratorEmaDecay = 0.99, CriticLearningRate = 4e-4,
        }),
        "Self-Cond default" => RunSettings.Fingerprint(new SelfCondOptions()),
        "Self-Cond CIFAR-10 quick with Inception weights" => RunSettings.Fingerprint(
            SelfCondOptions.ForProfile("quick", "cifar10", SelfCondMethod.Supervised) with { InceptionWeights = "/w/pt_inception.pth" }),
        "MemoryGAN default" => RunSettings.Fingerprint(new MemoryGanOptions()),
        "MemoryGAN without memory" => RunSettings.Fingerprint(new MemoryGanOptions { Method = MemoryGanMethod.NoMemory }),
        _ => throw new ArgumentException(settings),
    };

    [Theory]
    [InlineData("quick", "0-9", 500)]                     // the demo's ten one-class tasks: unchanged
    [InlineData("quick", "0+1,2+3,4+5,6+7,8+9", 1000)]   // 500 per class of a task
    [InlineData("quick", "0+1+2+3+4,5+6+7+8+9", 2500)]
    [InlineData("quick", "0+1,2", 1000)]                  // the largest task sets it
    [InlineData("paper", "0+1,2+3,4+5,6+7,8+9", 4001)]   // the paper: the same for every sequence
    public void TheQuickProfileGivesEachClassOfATaskItsIterations(string profile, string tasks, int iterations)
    {
        var o = MerganOptions.ForProfile(profile, "mnist", tasks);
        Assert.Equal(iterations, o.IterationsPerTask);
        Assert.Equal(tasks, o.Tasks);
    }

    [Fact]
    public void AnEmptyTaskSequenceIsOneClearError() =>
        Assert.Contains("at least one task", Assert.Throws<MnemoException>(() => MerganOptions.ForProfile("quick", "mnist", " , ")).Message);

    [Theory]
    [MemberData(nameof(StoredFingerprints))]
    public void SettingsKeepTheFingerprintOfExistingRuns(string settings, string fingerprint) =>
        Assert.Equal(fingerprint, FingerprintOf(settings));

    [Fact]
    public void MerganAndSelfCondSettingsKeepTheirFieldsInOrder()
    {
        Assert.Equal(
            "Dataset,Method,Tasks,Profile,Seed,ImageSize,ZDim,Dim,IterationsPerTask,BatchSize,CriticIterations,GradientPenaltyWeight,AcganScaleCritic," +
            "AcganScaleGenerator,LearningRate,Beta1,Beta2,RaFactor,EwcLambda,EwcFisherBatches,EvalSamplesPerClass,ReverseSamplesPerClass,LogEvery," +
            "CheckpointEvery,GridColumns,Threads",
            string.Join(",", new MerganOptions().ToJson().Select(kv => kv.Key)));
        // The research options, when set, where the fields were declared when they were added.
        var research = new MerganOptions
        {
            CriticLearningRate = 4e-4, CriticPrecision = ComputePrecision.Bfloat16, RaWeighting = Mnemo.Losses.ReplayAlignmentWeighting.SameEveryTask,
            GeneratorEmaDecay = 0.99,
        };
        Assert.Equal(
            "Dataset,Method,Tasks,Profile,Seed,ImageSize,ZDim,Dim,IterationsPerTask,BatchSize,CriticIterations,GradientPenaltyWeight,AcganScaleCritic," +
            "AcganScaleGenerator,LearningRate,CriticLearningRate,CriticPrecision,Beta1,Beta2,RaFactor,RaWeighting,GeneratorEmaDecay,EwcLambda," +
            "EwcFisherBatches,EvalSamplesPerClass,ReverseSamplesPerClass,LogEvery,CheckpointEvery,GridColumns,Threads",
            string.Join(",", research.ToJson().Select(kv => kv.Key)));
        Assert.Equal(
            "Dataset,Method,Profile,Seed,K,Iterations,BatchSize,ReclusterEvery,ClusterSamples,LearningRate,Beta1,Beta2,ZDim,EmbedDim,EvalEvery," +
            "EvalSamples,TrainPoints,LogEvery,CheckpointEvery,Threads,inception",
            string.Join(",", (new SelfCondOptions() with { InceptionWeights = "w.pth" }).ToJson().Select(kv => kv.Key)));
    }

    [Fact]
    public void ResearchOptionsAreStoredOnlyWhenSet()
    {
        var plain = new MerganOptions().ToJson();
        foreach (var key in new[] { "RaWeighting", "GeneratorEmaDecay", "CriticLearningRate" })
            Assert.False(plain.ContainsKey(key), key); // so runs written before these options keep their fingerprint
        var set = new MerganOptions { RaWeighting = Mnemo.Losses.ReplayAlignmentWeighting.SameEveryTask, GeneratorEmaDecay = 0.99, CriticLearningRate = 4e-4 };
        Assert.Equal("same-every-task", (string)set.ToJson()["RaWeighting"]!);
        Assert.Equal(set, MerganOptions.FromJson(set.ToJson()));
        Assert.NotEqual(RunSettings.Fingerprint(new MerganOptions()), RunSettings.Fingerprint(set));
    }

    /// <summary>Settings whose stored order forgets a field (here all but Dataset).</summary>
    sealed record Unplaced : TrainingSettings<Unplaced>, IRunSettings<Unplaced>
    {
        public Unplaced() : base("squares", 2, 8, 1e-3, 0.5, 0.9, 1, 1) { }

        public static string SystemName => "test";
        public static IReadOnlyList<string> StoredOrder { get; } = [nameof(Dataset)];
        public static string MethodKey => nameof(Dataset);
        public void Validate() => ValidateShared();
    }

    [Fact]
    public void AFieldWithoutAPlaceInTheStoredOrderIsRefused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new Unplaced().ToJson());
        Assert.Contains("does not place Profile, Seed, ZDim", e.Message);
    }

    [Fact]
    public void MethodSelectorsAreStoredAsTheirIds()
    {
        Assert.Equal("dgr", (string)new MerganOptions { Method = ContinualMethod.Dgr }.ToJson()["Method"]!);
        Assert.Equal("unconditional", (string)new SelfCondOptions { Method = SelfCondMethod.Unconditional }.ToJson()["Method"]!);
        var memory = new MemoryGanOptions { Method = MemoryGanMethod.NoMemory }.ToJson();
        Assert.True((bool)memory["NoMemory"]!); // the first format's field, so existing runs keep their fingerprint
        Assert.Equal(MemoryGanMethod.NoMemory, MemoryGanOptions.FromJson(memory).Method);
        Assert.Null(new SelfCondOptions().ToJson()["inception"]);
        var e = Assert.Throws<MnemoException>(() => MerganOptions.FromJson(new JsonObject { ["Method"] = "bogus" }));
        Assert.Contains("MeRGAN", e.Message);
    }

    [Fact]
    public void MemoryGanSettingsKeepTheFirstFormatsFieldsInOrder()
    {
        // The fingerprint hashes the JSON text, so the order of the fields matters as much as their names.
        var first = new[]
        {
            "Dataset", "Profile", "Seed", "MemorySize", "KeyDim", "TopK", "Kappa", "Alpha", "Beta", "EmIterations", "MiWeight", "ZDim", "BatchSize",
            "LearningRate", "Beta1", "Beta2", "Iterations", "NoMemory", "EvalEvery", "EvalSamples", "LogEvery", "CheckpointEvery", "Threads",
            "HistogramUpdate", "GeneratorLoss", // added after the first format (issue 21): fingerprints changed then
        };
        Assert.Equal(first, new MemoryGanOptions().ToJson().Select(kv => kv.Key).ToArray());
    }

    [Fact]
    public void DifferencesNameEachChangedSettingButNotThreads()
    {
        var a = new MerganOptions { IterationsPerTask = 2, Threads = 1 };
        Assert.Empty(RunSettings.Differences(a, a with { Threads = 2 }));
        Assert.Equal(new[] { "--iterations-per-task 2, requested 3", "--method \"ra\", requested \"sft\"" },
            RunSettings.Differences(a, a with { IterationsPerTask = 3, Method = ContinualMethod.Sft }).Order());
    }
}
