using System.Text.Json.Nodes;
using Mnemo.Training;
using Mnemo.Visualization;

namespace Mnemo.Continual;

/// <summary>
/// The Table-1-style comparison of continual runs: comparison.json/.csv/.html with final average accuracy, reverse
/// accuracy, FID and each run's per-task matrix. Runs of one setting are headed as such; runs whose settings differ
/// besides the method are headed by what differs and each row is labelled with its values.
/// </summary>
public static class ContinualComparison
{
    static string F(double? v, string f = "0.000") => NumberText.Format(v, f);

    static double? LastFid(ContinualResults r) => r.Fid.Count > 0 ? MetricRecords.Finite(r.Fid[^1]) : null;

    /// <summary>Writes the comparison of <paramref name="runs"/> into <paramref name="outDir"/>; returns comparison.html's path.</summary>
    public static string Write(string outDir, IReadOnlyList<ComparedRun<MerganOptions, ContinualResults>> runs)
    {
        Directory.CreateDirectory(outDir);
        var spread = SettingsSpread.Of(runs.Select(r => r.Settings));
        var names = runs.Select((r, i) => spread.Name(r.Result.Method.DisplayName(), i)).ToList();
        WriteTables(outDir, runs, spread);
        WriteFigures(outDir, runs, names);
        var first = runs[0].Settings;
        var report = new HtmlReport($"Mnemo: continual learning comparison on {first.Dataset}", outDir);
        report.Paragraph(spread.Uniform
            ? $"Same networks, budget ({first.IterationsPerTask} iterations per task, profile {first.Profile}) and seed {first.Seed} for every method; tasks {first.Tasks}."
            : spread.Warning);
        report.Heading("Table 1 style: average accuracy of the evaluation classifier on generated images");
        report.Table(new[] { "method", "after last task", "reverse accuracy", "FID (classifier features)", "time (s)" },
            runs.Select((run, i) => (IReadOnlyList<string>)new[]
            {
                names[i], F(run.Result.FinalAverageAccuracy), F(run.Result.ReverseAccuracy), F(LastFid(run.Result), "0.0"), F(run.Result.TaskSeconds.Sum(), "0"),
            }));
        if (runs.Any(run => run.Result.LabelFree is not null))
        {
            report.Heading("Label-free methods: the model's clusters of the real test images of the seen classes after the last task");
            report.Table(new[] { "method", "cluster accuracy", "NMI", "purity", "generated accuracy", "classes generated" },
                runs.Select((run, i) => (IReadOnlyList<string>)(run.Result.LabelFree is { Count: > 0 } lf
                    ? new[] { names[i], F(lf[^1].ClusterAccuracy), F(lf[^1].ClusterNmi), F(lf[^1].ClusterPurity), F(lf[^1].GeneratedAccuracy), lf[^1].ClassesGenerated.ToString() }
                    : new[] { names[i], "(labels)", "", "", "", "" })));
        }
        report.Image("figures/final-accuracy.png", "Final average accuracy");
        report.Image("figures/average-accuracy.png", "Average accuracy after each task");
        for (int i = 0; i < runs.Count; i++)
        {
            var r = runs[i].Result;
            report.Heading($"{names[i]}: accuracy after each task");
            report.Table(new[] { "after task" }.Concat(r.ClassNames).Append("average").ToArray(),
                Enumerable.Range(0, r.Accuracy.Count).Select(t => (IReadOnlyList<string>)new[] { (t + 1).ToString() }
                    .Concat(r.Accuracy[t].Select(a => F(a, "0.00"))).Append(F(r.AverageAccuracy[t])).ToArray()));
            report.Image(Path.Combine(Path.GetRelativePath(outDir, runs[i].Dir), "images", "tasks.gif"), $"{names[i]}: samples after each task");
        }
        return report.Save("comparison");
    }

    /// <summary>comparison.json (a setting shown at the top only when every run has it, null otherwise) and
    /// comparison.csv (a last column with each row's differing settings, empty when they share them).</summary>
    static void WriteTables(string outDir, IReadOnlyList<ComparedRun<MerganOptions, ContinualResults>> runs, SettingsSpread spread)
    {
        JsonNode? Shared<T>(Func<MerganOptions, T> value) =>
            runs.Select(r => value(r.Settings)).Distinct().Count() == 1 ? JsonValue.Create(value(runs[0].Settings)) : null;
        var table = new JsonArray();
        var csv = new List<string> { "method,final_average_accuracy,reverse_accuracy,final_fid,seconds,settings" };
        for (int i = 0; i < runs.Count; i++)
        {
            var r = runs[i].Result;
            table.Add(new JsonObject
            {
                ["method"] = r.Method.Id(), ["name"] = r.Method.DisplayName(), ["settings"] = spread.Label(i),
                ["final_average_accuracy"] = r.FinalAverageAccuracy, ["reverse_accuracy"] = r.ReverseAccuracy, ["final_fid"] = LastFid(r),
                ["average_accuracy_per_task"] = new JsonArray(r.AverageAccuracy.Select(a => (JsonNode)a).ToArray()),
                ["seconds"] = r.TaskSeconds.Sum(),
            });
            if (r.LabelFree is { Count: > 0 } lf)
            {
                var row = table[^1]!.AsObject();
                row["final_cluster_accuracy"] = lf[^1].ClusterAccuracy;
                row["final_cluster_nmi"] = lf[^1].ClusterNmi;
                row["final_cluster_purity"] = lf[^1].ClusterPurity;
                row["cluster_accuracy_per_task"] = new JsonArray(lf.Select(m => (JsonNode)m.ClusterAccuracy).ToArray());
            }
            csv.Add($"{r.Method.Id()},{F(r.FinalAverageAccuracy, "0.0000")},{F(r.ReverseAccuracy, "0.0000")},{F(LastFid(r), "0.00")}," +
                    $"{F(r.TaskSeconds.Sum(), "0")},{Csv.Cell(spread.Label(i))}");
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "comparison.json"), new JsonObject
        {
            ["dataset"] = Shared(o => o.Dataset), ["tasks"] = Shared(o => o.Tasks), ["profile"] = Shared(o => o.Profile), ["seed"] = Shared(o => o.Seed),
            ["iterations_per_task"] = Shared(o => o.IterationsPerTask),
            ["differing_settings"] = new JsonArray(spread.Keys.Select(k => (JsonNode)k).ToArray()), ["methods"] = table,
        }.ToJsonString(RunFolder.Json));
        AtomicFile.WriteAllText(Path.Combine(outDir, "comparison.csv"), string.Join("\n", csv) + "\n");
    }

    static void WriteFigures(string outDir, IReadOnlyList<ComparedRun<MerganOptions, ContinualResults>> runs, IReadOnlyList<string> names)
    {
        Directory.CreateDirectory(Path.Combine(outDir, "figures"));
        Plots.Bars(Path.Combine(outDir, "figures", "final-accuracy.png"), "Average accuracy on generated images after the last task",
            names.ToArray(), runs.Select(r => r.Result.FinalAverageAccuracy ?? 0).ToArray(), "method", "average accuracy (share correct)");
        Plots.Lines(Path.Combine(outDir, "figures", "average-accuracy.png"), "Average accuracy over seen classes after each task", "after task (tasks learned)", "average accuracy (share correct)",
            runs.Select((r, i) => (names[i], Enumerable.Range(1, r.Result.AverageAccuracy.Count).Select(t => (double)t).ToArray(), r.Result.AverageAccuracy.ToArray())), perTask: true);
    }
}
