using System.Text.Json.Nodes;
using Mnemo.Training;
using Mnemo.Visualization;
using SkiaSharp;

namespace Mnemo.Continual;

/// <summary>The figures and the report of one continual run: grids GIF, accuracy heatmap, per-class curves, losses.</summary>
public static class ContinualReport
{
    public static string Write(RunFolder run, MerganOptions options, ContinualResults r)
    {
        var figures = Path.Combine(run.Root, "figures");
        Directory.CreateDirectory(figures);
        WriteGif(run);
        int tasks = r.Accuracy.Count;
        if (tasks > 0)
        {
            var matrix = new double[tasks, r.Classes.Length];
            for (int t = 0; t < tasks; t++)
                for (int c = 0; c < r.Classes.Length; c++) matrix[t, c] = r.Accuracy[t][c] ?? double.NaN;
            Plots.Heatmap(Path.Combine(figures, "accuracy-matrix.png"), $"{Method(r)}: accuracy on generated images",
                matrix, Enumerable.Range(1, tasks).Select(t => $"after {t}").ToArray(), r.ClassNames, "class", "tasks learned");
            var x = Enumerable.Range(1, tasks).Select(t => (double)t).ToArray();
            var curves = r.Classes.Select((c, k) =>
            {
                var points = Enumerable.Range(0, tasks).Where(t => r.Accuracy[t][k].HasValue).ToArray();
                return (r.ClassNames[k], points.Select(t => x[t]).ToArray(), points.Select(t => r.Accuracy[t][k]!.Value).ToArray());
            }).Append(("average", x, r.AverageAccuracy.ToArray()));
            Plots.Lines(Path.Combine(figures, "class-accuracy.png"), $"{Method(r)}: per-class accuracy after each task", "after task (tasks learned)",
                "accuracy (share correct)", curves, perTask: true);
        }
        WriteLossCurves(run, figures, r);
        return WriteReport(run, options, r);
    }

    static string Method(ContinualResults r) => r.Method.DisplayName();

    static void WriteGif(RunFolder run)
    {
        var grids = Directory.GetFiles(run.ImagesDir, "task-*.png").OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (grids.Count == 0) return;
        var frames = grids.Select(SKBitmap.Decode).ToList();
        try { GifWriter.Save(frames, Path.Combine(run.ImagesDir, "tasks.gif"), delayCentiseconds: 80); }
        finally { foreach (var f in frames) f.Dispose(); }
    }

    static void WriteLossCurves(RunFolder run, string figures, ContinualResults r)
    {
        var metrics = run.Read<ContinualTrainingRecord>();
        if (metrics.Count == 0) return;
        Plots.Lines(Path.Combine(figures, "losses.png"), $"{Method(r)}: training losses", "iteration (generator steps)", "loss (batch mean)", new[]
        {
            Plots.Series(metrics, m => m.CriticLoss, "critic loss"), Plots.Series(metrics, m => m.GeneratorLoss, "generator loss"),
            Plots.Series(metrics, m => m.Wasserstein, "Wasserstein estimate"),
        });
        var extra = new[]
        {
            Plots.Series(metrics, m => m.ReplayAlignment, "RA loss"), Plots.Series(metrics, m => m.JtrGenerator, "JTR generator term"),
            Plots.Series(metrics, m => m.Ewc, "EWC penalty"), Plots.Series(metrics, m => m.SolverLoss, "DGR solver loss"),
        }.Where(s => s.X.Length > 0).ToList();
        if (extra.Count > 0) Plots.Lines(Path.Combine(figures, "method-terms.png"), $"{Method(r)}: method-specific terms", "iteration (generator steps)", "value (batch mean)", extra);
    }

    static string CriticRate(MerganOptions o) => o.CriticLearningRate is { } c ? $" (critic {c})" : "";

    static string Average(MerganOptions o) => o.GeneratorEmaDecay is { } d ? $", generator weight average with decay {d}" : "";

    static string F(double? v, string format = "0.000") => NumberText.Format(v, format);

    static string WriteReport(RunFolder run, MerganOptions o, ContinualResults r)
    {
        var report = new HtmlReport($"Mnemo continual run: {Method(r)} on {o.Dataset}", run.Root);
        report.Paragraph($"Tasks: {string.Join(" → ", r.TaskNames)}. Profile: {o.Profile}, {o.IterationsPerTask} iterations per task, " +
                         $"{o.CriticIterations} critic steps per generator step, batch {o.BatchSize}, Adam lr {o.LearningRate}{CriticRate(o)} (β = {o.Beta1}, {o.Beta2}), " +
                         $"RA factor {o.RaFactor} ({o.EffectiveRaWeighting.Id()}){Average(o)}, seed {o.Seed}.");
        report.Heading("Summary");
        report.Table(new[] { "measure", "value" }, new[]
        {
            new[] { "average accuracy on generated images after the last task", F(r.FinalAverageAccuracy) },
            new[] { "reverse accuracy (classifier trained on generated, tested on real)", F(r.ReverseAccuracy) },
            new[] { $"FID after the last task ({r.FidFeatures})", F(r.Fid.Count > 0 ? r.Fid[^1] : null, "0.00") },
            new[] { "evaluation classifier's accuracy on real test images", F(r.ClassifierTestAccuracy) },
            new[] { "training + evaluation time (s)", F(r.TaskSeconds.Sum(), "0") },
        });
        report.Heading(r.LabelFree is null ? "Accuracy after each task (rows) per class (columns)"
            : "Accuracy after each task (rows) per class (columns), of the images of the clusters matched to each class");
        report.Table(new[] { "after task" }.Concat(r.ClassNames).Append("average").Append("FID").ToArray(),
            Enumerable.Range(0, r.Accuracy.Count).Select(t => (IReadOnlyList<string>)new[] { $"{t + 1} ({r.TaskNames[t]})" }
                .Concat(r.Accuracy[t].Select(a => F(a, "0.00"))).Append(F(r.AverageAccuracy[t])).Append(F(r.Fid[t], "0.0")).ToArray()));
        LabelFree.LabelFreeReport.AddSections(report, r);
        report.Image("figures/accuracy-matrix.png", "Accuracy matrix");
        report.Image("figures/class-accuracy.png", "Per-class accuracy after each task");
        report.Heading(r.Method == ContinualMethod.LfDgr
            ? "Samples after each task (rows: clusters with the class each is matched to, the first generated images the solver assigns to each; " +
              "unseen clusters in parentheses)"
            : r.LabelFree is null ? "Samples after each task (rows: classes, same z in every row; unseen classes in parentheses)"
            : "Samples after each task (rows: clusters with the class each is matched to, same z in every row; unseen clusters in parentheses)");
        report.Image("images/tasks.gif", "Samples across tasks (animated)");
        foreach (var grid in Directory.GetFiles(run.ImagesDir, "task-*.png").OrderBy(f => f, StringComparer.Ordinal))
            report.Image($"images/{Path.GetFileName(grid)}", Path.GetFileNameWithoutExtension(grid));
        report.Image("figures/tsne-first-class.png", "t-SNE of classifier features of the first class: real vs generated, after the last task");
        report.Heading("Training");
        report.Image("figures/losses.png", "Losses");
        report.Image("figures/method-terms.png", "Method-specific terms");
        report.Settings(o.ToJson(), run.DeviceHistory());
        return report.Save("report");
    }
}
