using System.Globalization;
using System.Text.Json.Nodes;
using Mnemo.Training;
using Mnemo.Visualization;

namespace Mnemo.MemoryGan;

/// <summary>Figures and report of a MemoryGAN run: losses, memory statistics over time, samples and slot grid.</summary>
public static class MemoryGanReport
{
    public static string Write(RunFolder run, MemoryGanOptions o, JsonObject final)
    {
        var figures = Path.Combine(run.Root, "figures");
        var rows = run.ReadMetrics();
        var training = rows.Where(r => r["event"] is null).ToList();
        Plots.Lines(Path.Combine(figures, "losses.png"), "losses", "iteration", "loss",
            new[] { Plots.Series(training, "d_loss", "discriminator"), Plots.Series(training, "g_loss", "generator"), Plots.Series(training, "mi", "MI term") });
        Plots.Lines(Path.Combine(figures, "memory.png"), "memory statistics", "iteration", "value",
            new[] { Plots.Series(training, "memory_real_fraction", "real-valued slots (share)"), Plots.Series(training, "replaced_share", "queries that replaced a slot (share)") });
        Plots.Lines(Path.Combine(figures, "slots-in-use.png"), "slots with histogram > 1e-3", "iteration", "slots", new[] { Plots.Series(training, "slots_in_use", "slots in use") });
        if (final["label_histogram"] is JsonArray histogram)
            Plots.Bars(Path.Combine(figures, "label-histogram.png"), "classifier labels of generated samples",
                Enumerable.Range(0, histogram.Count).Select(i => i.ToString()).ToArray(), histogram.Select(h => (double)h!).ToArray(), "share");

        static string F(JsonNode? v) => MetricText.Format(v);
        var report = new HtmlReport($"Mnemo: MemoryGAN on {o.Dataset}{(o.NoMemory ? " (no memory)" : "")}", run.Root);
        report.Paragraph($"Profile {o.Profile}: {o.Iterations} iterations, memory {o.MemorySize} slots × {o.KeyDim}, k = {o.TopK}, α = {o.Alpha}, " +
                         $"β = {o.Beta}, T = {o.EmIterations}, κ = {o.Kappa}, MI weight {o.MiWeight}, z {o.ZDim}, Adam {o.LearningRate} (β = {o.Beta1}, {o.Beta2}).");
        report.Table(new[] { "metric", "value" }, final.Where(kv => kv.Key is not "event").Select(kv => (IReadOnlyList<string>)new[] { kv.Key, F(kv.Value) }));
        report.Image("images/memory-slots.png", "Generator's view of memory slots (rows: the most used real slots with distinct keys)");
        report.Image("images/samples.png", "Samples");
        report.Image("figures/label-histogram.png", "Classifier labels of generated samples");
        report.Image("figures/memory.png", "Memory statistics");
        report.Image("figures/slots-in-use.png", "Slots in use");
        report.Image("figures/losses.png", "Losses");
        report.Code(o.ToJson().ToJsonString(RunFolder.Json));
        return report.Save("report");
    }
}
