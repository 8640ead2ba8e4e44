using System.Globalization;
using System.Text.Json.Nodes;
using Mnemo.Training;
using Mnemo.Visualization;

namespace Mnemo.SelfConditioned;

/// <summary>Figures and report of a Self-Conditioned GAN run: losses, metric curves, clustering history, samples.</summary>
public static class SelfCondReport
{
    public static string Write(RunFolder run, SelfCondOptions o, JsonObject final)
    {
        var figures = Path.Combine(run.Root, "figures");
        Directory.CreateDirectory(figures);
        var records = run.ReadMetrics();
        var training = records.Where(r => r["event"] is null).ToList();
        var evaluations = records.Where(r => (string?)r["event"] == "evaluation").ToList();
        var clusterings = records.Where(r => (string?)r["event"] == "clustering").ToList();
        Plots.Lines(Path.Combine(figures, "losses.png"), "losses", "iteration", "loss",
            new[] { Plots.Series(training, "d_loss", "discriminator"), Plots.Series(training, "g_loss", "generator") });
        var metricKeys = new[] { "modes", "high_quality", "reverse_kl", "fid", "is" }.Where(k => final[k] is not null).ToList();
        foreach (var key in metricKeys)
            Plots.Lines(Path.Combine(figures, $"{key}.png"), key.Replace('_', ' '), "iteration", key, new[] { Plots.Series(evaluations, key, key) });
        if (clusterings.Count > 0)
            Plots.Lines(Path.Combine(figures, "clustering.png"), "re-clustering: samples that changed cluster", "iteration", "samples",
                new[] { Plots.Series(clusterings, "changed", "changed"), Plots.Series(clusterings, "nonempty", "non-empty clusters") });

        static string F(JsonNode? v) => MetricText.Format(v);
        var report = new HtmlReport($"Mnemo: {o.Method} GAN on {o.Dataset}", run.Root);
        report.Paragraph($"Profile {o.Profile}: {o.Iterations} iterations, batch {o.BatchSize}, " +
                         (o.Method == "selfcond" ? $"k = {o.K} clusters re-clustered every {o.ReclusterEvery} iterations on {o.ClusterSamples} real samples, " : "") +
                         $"Adam {o.LearningRate} (β = {o.Beta1}, {o.Beta2}), seed {o.Seed}; metrics on {o.EvalSamples} generated samples.");
        report.Heading("Final metrics");
        report.Table(new[] { "metric", "value" }, final.Where(kv => kv.Key is not "event" and not "step").Select(kv => (IReadOnlyList<string>)new[] { kv.Key, F(kv.Value) }));
        report.Heading("Evaluations during training");
        report.Table(new[] { "iteration" }.Concat(metricKeys).ToArray(),
            evaluations.Select(e => (IReadOnlyList<string>)new[] { F(e["step"]) }.Concat(metricKeys.Select(k => F(e[k]))).ToArray()));
        report.Image("figures/real-vs-generated.png", "Real and generated samples");
        report.Image("figures/generated-by-cluster.png", "Generated samples by conditioning class");
        report.Image("images/samples.png", "Samples");
        foreach (var key in metricKeys) report.Image($"figures/{key}.png", key);
        report.Image("figures/clustering.png", "Re-clustering");
        report.Image("figures/losses.png", "Losses");
        report.Heading("Settings");
        report.Code(o.ToJson().ToJsonString(RunFolder.Json));
        return report.Save("report");
    }
}
