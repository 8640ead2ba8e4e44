namespace Mnemo.Training;

/// <summary>How a stored setting (a config.json name such as <c>IterationsPerTask</c>) is named to a user: the
/// command-line option that sets it (<c>--iterations-per-task</c>), or its config.json name when no option sets it
/// (e.g. <c>ZDim</c>). Used by every message and comparison label that names settings.</summary>
public static class SettingNames
{
    // The options of `mnemo continual`, `selfcond` and `memorygan` (src/Mnemo.Cli), by the field each one sets.
    static readonly Dictionary<string, string> Options = new()
    {
        ["Dataset"] = "--dataset", ["Method"] = "--method", ["Profile"] = "--profile", ["Seed"] = "--seed", ["Threads"] = "--threads",
        ["Tasks"] = "--tasks", ["IterationsPerTask"] = "--iterations-per-task", ["BatchSize"] = "--batch-size",
        ["CriticIterations"] = "--critic-iterations", ["LearningRate"] = "--lr", ["CriticLearningRate"] = "--critic-lr",
        ["CriticPrecision"] = "--critic-precision", ["RaFactor"] = "--ra-factor", ["RaWeighting"] = "--ra-weighting",
        ["GeneratorEmaDecay"] = "--generator-ema", ["EwcLambda"] = "--ewc-lambda", ["EvalSamplesPerClass"] = "--eval-samples",
        ["ReverseSamplesPerClass"] = "--reverse-samples",
        ["K"] = "--k", ["Iterations"] = "--iterations", ["ReclusterEvery"] = "--recluster-every", ["ClusterSamples"] = "--cluster-samples",
        ["FirstClustering"] = "--first-clustering", ["ReplayClassification"] = "--replay-classification",
        ["EvalSamples"] = "--eval-samples", ["MemorySize"] = "--memory-size", ["KeyDim"] = "--key-dim", ["TopK"] = "--top-k",
        ["MiWeight"] = "--mi-weight", ["HistogramUpdate"] = "--histogram-update", ["GeneratorLoss"] = "--generator-loss", ["CheckpointEvery"] = "--checkpoint-every",
    };

    /// <summary>The option that sets <paramref name="key"/>, else <paramref name="key"/> itself.</summary>
    public static string ForUser(string key) => Options.TryGetValue(key, out var option) ? option : key;
}
