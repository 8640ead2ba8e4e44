using System.Globalization;
using System.Text.Json.Nodes;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Training;
using Mnemo.Visualization;

namespace Mnemo.Continual;

/// <summary>Entry points for continual runs: start, resume, compare several methods.</summary>
public static class ContinualExperiment
{
    /// <summary>Loads a dataset for continual learning, fetching MNIST / Fashion-MNIST when missing.</summary>
    public static DatasetSplit LoadData(string dataset, string dataRoot, int imageSize, IProgressReporter progress)
    {
        DatasetFetcher.EnsureFetched(dataRoot, dataset, progress.Message);
        return DatasetCatalog.Load(dataset, dataRoot, imageSize);
    }

    public static ContinualResults Start(MerganOptions options, string outDir, string dataRoot, IProgressReporter progress)
    {
        options.Validate();
        // Bad classes fail before anything is fetched; folders are checked once their classes are known.
        if (DatasetCatalog.KnownClassCount(options.Dataset) is { } classes) TaskSequence.Parse(options.Tasks, classes);
        using var data = LoadData(options.Dataset, dataRoot, options.ImageSize, progress);
        TaskSequence.Parse(options.Tasks, data.Train.ClassCount); // fail on bad classes before creating the folder
        var run = RunFolder.Create(outDir, WithDataRoot(options.ToJson(), dataRoot));
        using var classifier = EvaluationClassifier.LoadOrTrain(dataRoot, options.Dataset, data, progress);
        return new ContinualTrainer(options, run, data, classifier, progress).Run(resume: false);
    }

    public static ContinualResults Resume(string runDir, string? dataRoot, IProgressReporter progress)
    {
        var (run, settings) = RunFolder.Open(runDir);
        var root = dataRoot ?? (string?)settings["data_root"] ?? DataRoot.Resolve(null);
        settings.Remove("data_root");
        var options = MerganOptions.FromJson(settings);
        using var data = LoadData(options.Dataset, root, options.ImageSize, progress);
        using var classifier = EvaluationClassifier.LoadOrTrain(root, options.Dataset, data, progress);
        return new ContinualTrainer(options, run, data, classifier, progress).Run(resume: true);
    }

    static JsonObject WithDataRoot(JsonObject settings, string dataRoot)
    {
        settings["data_root"] = dataRoot;
        return settings;
    }

    /// <summary>Opens a finished run's settings (without the data root entry).</summary>
    public static MerganOptions ReadOptions(string runDir)
    {
        var (_, settings) = RunFolder.Open(runDir);
        settings.Remove("data_root");
        return MerganOptions.FromJson(settings);
    }

    /// <summary>Runs each method with the same settings and seed into OUT/&lt;method&gt;, then writes the Table-1-style
    /// comparison (final average accuracy, reverse accuracy, FID, per-task matrices) into OUT.</summary>
    public static string Compare(MerganOptions options, IReadOnlyList<ContinualMethod> methods, string outDir, string dataRoot,
        IProgressReporter progress, bool resume = false)
    {
        var results = new List<ContinualResults>();
        foreach (var method in methods)
        {
            var dir = Path.Combine(outDir, method.Id());
            progress.Message($"== {method.DisplayName()} → {dir}");
            bool finished = File.Exists(Path.Combine(dir, "report.html"));
            if (finished && resume) results.Add(ContinualResults.FromJson(Path.Combine(dir, "evaluation.json")));
            else if (resume && File.Exists(Path.Combine(dir, "config.json"))) results.Add(Resume(dir, dataRoot, progress));
            else results.Add(Start(options with { Method = method.Id() }, dir, dataRoot, progress));
        }
        return WriteComparison(outDir, options, results);
    }

    public static string WriteComparison(string outDir, MerganOptions options, IReadOnlyList<ContinualResults> results)
    {
        Directory.CreateDirectory(outDir);
        string F(double? v, string f = "0.000") => v is { } d && double.IsFinite(d) ? d.ToString(f, CultureInfo.InvariantCulture) : "–";
        var table = new JsonArray();
        var csv = new List<string> { "method,final_average_accuracy,reverse_accuracy,final_fid,seconds" };
        foreach (var r in results)
        {
            var name = ContinualMethods.Parse(r.Method).DisplayName();
            table.Add(new JsonObject
            {
                ["method"] = r.Method, ["name"] = name, ["final_average_accuracy"] = r.FinalAverageAccuracy,
                ["reverse_accuracy"] = r.ReverseAccuracy, ["final_fid"] = r.Fid.Count > 0 && double.IsFinite(r.Fid[^1]) ? r.Fid[^1] : null,
                ["average_accuracy_per_task"] = new JsonArray(r.AverageAccuracy.Select(a => (JsonNode)a).ToArray()),
                ["seconds"] = r.TaskSeconds.Sum(),
            });
            csv.Add($"{r.Method},{F(r.FinalAverageAccuracy, "0.0000")},{F(r.ReverseAccuracy, "0.0000")},{F(r.Fid.Count > 0 ? r.Fid[^1] : null, "0.00")},{r.TaskSeconds.Sum():0}");
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "comparison.json"), new JsonObject
        {
            ["dataset"] = options.Dataset, ["tasks"] = options.Tasks, ["profile"] = options.Profile, ["seed"] = options.Seed,
            ["iterations_per_task"] = options.IterationsPerTask, ["methods"] = table,
        }.ToJsonString(RunFolder.Json));
        AtomicFile.WriteAllText(Path.Combine(outDir, "comparison.csv"), string.Join("\n", csv) + "\n");

        Directory.CreateDirectory(Path.Combine(outDir, "figures"));
        Plots.Bars(Path.Combine(outDir, "figures", "final-accuracy.png"), "Average accuracy on generated images after the last task",
            results.Select(r => ContinualMethods.Parse(r.Method).DisplayName()).ToArray(), results.Select(r => r.FinalAverageAccuracy ?? 0).ToArray(), "accuracy");
        Plots.Lines(Path.Combine(outDir, "figures", "average-accuracy.png"), "Average accuracy over seen classes after each task", "after task", "accuracy",
            results.Select(r => (ContinualMethods.Parse(r.Method).DisplayName(), Enumerable.Range(1, r.AverageAccuracy.Count).Select(t => (double)t).ToArray(), r.AverageAccuracy.ToArray())));

        var report = new HtmlReport($"Mnemo: continual learning comparison on {options.Dataset}", outDir);
        report.Paragraph($"Same networks, budget ({options.IterationsPerTask} iterations per task, profile {options.Profile}) and seed {options.Seed} for every method; tasks {options.Tasks}.");
        report.Heading("Table 1 style: average accuracy of the evaluation classifier on generated images");
        report.Table(new[] { "method", "after last task", "reverse accuracy", "FID (classifier features)", "time (s)" },
            results.Select(r => (IReadOnlyList<string>)new[]
            {
                ContinualMethods.Parse(r.Method).DisplayName(), F(r.FinalAverageAccuracy), F(r.ReverseAccuracy),
                F(r.Fid.Count > 0 ? r.Fid[^1] : null, "0.0"), F(r.TaskSeconds.Sum(), "0"),
            }));
        report.Image("figures/final-accuracy.png", "Final average accuracy");
        report.Image("figures/average-accuracy.png", "Average accuracy after each task");
        foreach (var r in results)
        {
            report.Heading($"{ContinualMethods.Parse(r.Method).DisplayName()}: accuracy after each task");
            report.Table(new[] { "after task" }.Concat(r.ClassNames).Append("average").ToArray(),
                Enumerable.Range(0, r.Accuracy.Count).Select(t => (IReadOnlyList<string>)new[] { (t + 1).ToString() }
                    .Concat(r.Accuracy[t].Select(a => F(a, "0.00"))).Append(F(r.AverageAccuracy[t])).ToArray()));
            report.Image($"{r.Method}/images/tasks.gif", $"{r.Method}: samples after each task");
        }
        return report.Save("comparison");
    }
}
