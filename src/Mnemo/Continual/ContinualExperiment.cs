using System.Text.Json.Nodes;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Training;
using Mnemo.Visualization;

namespace Mnemo.Continual;

/// <summary>MeRGAN in the shared experiment lifecycle.</summary>
public sealed class ContinualExperimentSystem : IExperimentSystem<MerganOptions, DatasetWithClassifier, ContinualResults>
{
    public string Name => "MeRGAN";

    public DatasetWithClassifier Load(MerganOptions options, string dataRoot, IProgressReporter progress)
    {
        // Bad classes fail before anything is fetched; folders are checked once their classes are known.
        if (DatasetCatalog.KnownClassCount(options.Dataset) is { } classes) TaskSequence.Parse(options.Tasks, classes);
        return DatasetWithClassifier.Load(options.Dataset, dataRoot, options.ImageSize, progress, data => TaskSequence.Parse(options.Tasks, data.Train.ClassCount));
    }

    public ContinualResults Train(MerganOptions options, DatasetWithClassifier inputs, RunFolder run, bool resume, IProgressReporter progress) =>
        new ContinualTrainer(options, run, inputs.Data, inputs.Classifier, progress).Run(resume);
}

/// <summary>Entry points for continual runs: start, resume, compare several methods.</summary>
public static class ContinualExperiment
{
    static readonly Experiment<MerganOptions, DatasetWithClassifier, ContinualResults> Lifecycle = new(new ContinualExperimentSystem());

    public static ContinualResults Start(MerganOptions options, string outDir, string dataRoot, IProgressReporter progress) =>
        Lifecycle.Start(options, outDir, dataRoot, progress);

    /// <param name="dataRoot">Overrides the data folder the run was started with.</param>
    public static ContinualResults Resume(string runDir, string? dataRoot, IProgressReporter progress) =>
        Lifecycle.Resume(runDir, dataRoot, progress);

    /// <summary>A run's stored settings.</summary>
    public static MerganOptions ReadOptions(string runDir) => Lifecycle.ReadSettings(runDir);

    /// <summary>Runs each method with the same settings and seed into OUT/&lt;method&gt;, then writes the Table-1-style
    /// comparison (final average accuracy, reverse accuracy, FID, per-task matrices) into OUT. With
    /// <paramref name="resume"/>, finished methods are read back and unfinished ones continued; a method folder
    /// that holds a run with other settings is refused before anything trains.</summary>
    public static string Compare(MerganOptions options, IReadOnlyList<ContinualMethod> methods, string outDir, string dataRoot,
        IProgressReporter progress, bool resume = false)
    {
        var results = Lifecycle.Compare(methods.Select(m => (m.Id(), options with { Method = m })).ToList(), outDir, dataRoot, progress, resume);
        return WriteComparison(outDir, options, results);
    }

    /// <summary>Writes comparison.json/.csv/.html for runs of the same settings (<paramref name="options"/> gives the
    /// dataset, tasks, budget and seed shown).</summary>
    public static string WriteComparison(string outDir, MerganOptions options, IReadOnlyList<ContinualResults> results)
    {
        Directory.CreateDirectory(outDir);
        static string F(double? v, string f = "0.000") => NumberText.Format(v, f);
        static double? LastFid(ContinualResults r) => r.Fid.Count > 0 ? MetricRecords.Finite(r.Fid[^1]) : null;
        var table = new JsonArray();
        var csv = new List<string> { "method,final_average_accuracy,reverse_accuracy,final_fid,seconds" };
        foreach (var r in results)
        {
            table.Add(new JsonObject
            {
                ["method"] = r.Method.Id(), ["name"] = r.Method.DisplayName(), ["final_average_accuracy"] = r.FinalAverageAccuracy,
                ["reverse_accuracy"] = r.ReverseAccuracy, ["final_fid"] = LastFid(r),
                ["average_accuracy_per_task"] = new JsonArray(r.AverageAccuracy.Select(a => (JsonNode)a).ToArray()),
                ["seconds"] = r.TaskSeconds.Sum(),
            });
            csv.Add($"{r.Method.Id()},{F(r.FinalAverageAccuracy, "0.0000")},{F(r.ReverseAccuracy, "0.0000")},{F(LastFid(r), "0.00")},{F(r.TaskSeconds.Sum(), "0")}");
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "comparison.json"), new JsonObject
        {
            ["dataset"] = options.Dataset, ["tasks"] = options.Tasks, ["profile"] = options.Profile, ["seed"] = options.Seed,
            ["iterations_per_task"] = options.IterationsPerTask, ["methods"] = table,
        }.ToJsonString(RunFolder.Json));
        AtomicFile.WriteAllText(Path.Combine(outDir, "comparison.csv"), string.Join("\n", csv) + "\n");

        Directory.CreateDirectory(Path.Combine(outDir, "figures"));
        Plots.Bars(Path.Combine(outDir, "figures", "final-accuracy.png"), "Average accuracy on generated images after the last task",
            results.Select(r => r.Method.DisplayName()).ToArray(), results.Select(r => r.FinalAverageAccuracy ?? 0).ToArray(), "method", "average accuracy (share correct)");
        Plots.Lines(Path.Combine(outDir, "figures", "average-accuracy.png"), "Average accuracy over seen classes after each task", "after task (tasks learned)", "average accuracy (share correct)",
            results.Select(r => (r.Method.DisplayName(), Enumerable.Range(1, r.AverageAccuracy.Count).Select(t => (double)t).ToArray(), r.AverageAccuracy.ToArray())), perTask: true);

        var report = new HtmlReport($"Mnemo: continual learning comparison on {options.Dataset}", outDir);
        report.Paragraph($"Same networks, budget ({options.IterationsPerTask} iterations per task, profile {options.Profile}) and seed {options.Seed} for every method; tasks {options.Tasks}.");
        report.Heading("Table 1 style: average accuracy of the evaluation classifier on generated images");
        report.Table(new[] { "method", "after last task", "reverse accuracy", "FID (classifier features)", "time (s)" },
            results.Select(r => (IReadOnlyList<string>)new[]
            {
                r.Method.DisplayName(), F(r.FinalAverageAccuracy), F(r.ReverseAccuracy), F(LastFid(r), "0.0"), F(r.TaskSeconds.Sum(), "0"),
            }));
        report.Image("figures/final-accuracy.png", "Final average accuracy");
        report.Image("figures/average-accuracy.png", "Average accuracy after each task");
        foreach (var r in results)
        {
            report.Heading($"{r.Method.DisplayName()}: accuracy after each task");
            report.Table(new[] { "after task" }.Concat(r.ClassNames).Append("average").ToArray(),
                Enumerable.Range(0, r.Accuracy.Count).Select(t => (IReadOnlyList<string>)new[] { (t + 1).ToString() }
                    .Concat(r.Accuracy[t].Select(a => F(a, "0.00"))).Append(F(r.AverageAccuracy[t])).ToArray()));
            report.Image($"{r.Method.Id()}/images/tasks.gif", $"{r.Method.Id()}: samples after each task");
        }
        return report.Save("comparison");
    }
}
